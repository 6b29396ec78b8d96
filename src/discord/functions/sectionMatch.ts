import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import { lexicalTerm, tokenize } from '../../text/tokens.ts';
import type { SectionInfo } from '../../retrieval/types.ts';
import { truncate } from '../render/cut.ts';
import { LIMITS } from '../render/limits.ts';

/** Short stable key of a section (survives restarts and rebuilds as long as its heading path does). */
export function sectionKey(section: Pick<SectionInfo, 'label'>): string {
  return createHash('sha256').update(section.label).digest('base64url').slice(0, 16);
}

const norm = (s: string) => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim();

/** True when the letters of `query` appear in `text` in order (a forgiving match for typos like "prg army"). */
function isSubsequence(query: string, text: string): boolean {
  let i = 0;
  for (const c of text) if (c === query[i]) i++;
  return i >= query.length;
}

const headingIndexes = new WeakMap<readonly SectionInfo[], MiniSearch<{ id: number; label: string }>>();

/** The section labels searchable by word, on the project's tokens and stems (one index per table of contents). */
function headingIndex(sections: readonly SectionInfo[]): MiniSearch<{ id: number; label: string }> {
  let index = headingIndexes.get(sections);
  if (!index) {
    index = new MiniSearch({ fields: ['label'], tokenize: (text) => tokenize(text), processTerm: lexicalTerm });
    index.addAll(sections.map((section, id) => ({ id, label: section.label })));
    headingIndexes.set(sections, index);
  }
  return index;
}

/**
 * Sections whose label has every typed word, give or take a typo (one letter in four) or as the start of a word,
 * best first; with `anyWord`, those that have some of them ("did you mean …").
 */
function searchHeadings(sections: readonly SectionInfo[], query: string, anyWord = false): SectionInfo[] {
  return headingIndex(sections)
    .search(query, { combineWith: anyWord ? 'OR' : 'AND', fuzzy: 0.25, prefix: true })
    .map((hit) => sections[hit.id as number]!);
}

/** Lower is better; undefined when the section does not match at all. */
function matchRank(query: string, section: SectionInfo): number | undefined {
  const label = norm(section.label);
  const heading = norm(section.sectionPath.at(-1) ?? section.articleTitle);
  const refPenalty = section.isReference ? 0.5 : 0;
  if (!query) return refPenalty;
  if (heading.startsWith(query)) return 1 + refPenalty;
  if (heading.includes(query) || label.includes(query)) return 2 + refPenalty;
  const words = query.split(' ');
  if (words.every((w) => label.includes(w))) return 3 + refPenalty;
  if (isSubsequence(query.replace(/ /g, ''), label)) return 4 + refPenalty;
  return undefined;
}

/** Sections matching what the user typed, best first (stable: article order within a rank), at most `limit`. */
export function matchSections(sections: readonly SectionInfo[], query: string, limit: number = LIMITS.choices): SectionInfo[] {
  const q = norm(query);
  const withTypos = new Set(q ? searchHeadings(sections, q) : []);
  return sections
    .map((section, order) => ({ section, order, rank: matchRank(q, section) ?? (withTypos.has(section) ? 5 : undefined) }))
    .filter((m): m is { section: SectionInfo; order: number; rank: number } => m.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, limit)
    .map((m) => m.section);
}

/** Autocomplete choices: the label as shown (≤100 chars) and a value that finds the section again (≤100 chars). */
export function sectionChoices(sections: readonly SectionInfo[], query: string): Array<{ name: string; value: string }> {
  return matchSections(sections, query).map((s) => ({
    name: truncate(s.label, LIMITS.choiceName),
    value: s.label.length <= LIMITS.choiceValue ? s.label : `#${sectionKey(s)}`,
  }));
}

/** The section a /lookup value names: a chosen value, an exact label, else the best match of what was typed. */
export function findSection(sections: readonly SectionInfo[], value: string): SectionInfo | undefined {
  if (value.startsWith('#')) return sections.find((s) => sectionKey(s) === value.slice(1));
  return sections.find((s) => s.label === value) ?? matchSections(sections, value, 1)[0];
}

/** The sections most like what was typed, for "did you mean …" when nothing matches. */
export function closestSections(sections: readonly SectionInfo[], query: string, limit = 3): SectionInfo[] {
  return searchHeadings(sections, norm(query), true).slice(0, limit);
}

export function findSectionByKey(sections: readonly SectionInfo[], key: string): SectionInfo | undefined {
  return sections.find((s) => sectionKey(s) === key);
}
