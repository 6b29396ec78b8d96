/** The section as one string: the heading path, or the article title for the lead section. */
export function sectionLabel(articleTitle: string, sectionPath: string[]): string {
  return sectionPath.length > 0 ? sectionPath.join(' › ') : articleTitle;
}

/** "Great Purge › Purge of the army ¶2"; the lead section is cited by the article title alone. */
export function formatCitation(articleTitle: string, sectionPath: string[], paragraph: number): string {
  return [articleTitle, ...sectionPath].join(' › ') + ` ¶${paragraph}`;
}
