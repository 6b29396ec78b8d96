/** The section as one string: the heading path, or the article title for the lead section. */
export function sectionLabel(articleTitle: string, sectionPath: readonly string[]): string {
  return sectionPath.length > 0 ? sectionPath.join(' › ') : articleTitle;
}

/** "Great Purge › Purge of the army": where a section sits, from the article down. */
export function sectionTrail(articleTitle: string, sectionPath: readonly string[]): string {
  return [articleTitle, ...sectionPath].join(' › ');
}

/** "Great Purge › Purge of the army ¶2"; the lead section is cited by the article title alone. */
export function citationOf(articleTitle: string, sectionPath: readonly string[], paragraph: number): string {
  return `${sectionTrail(articleTitle, sectionPath)} ¶${paragraph}`;
}
