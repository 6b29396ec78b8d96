import MiniSearch from 'minisearch';
import { stemmer } from 'stemmer';
import type { StoredChunk } from '../index/storedIndex.ts';
import { isStopword, tokenize } from './queryTerms.ts';

interface LexicalDoc {
  id: number;
  text: string;
  heading: string;
}

export interface LexicalHit {
  /** Position of the chunk in the index. */
  label: number;
  score: number;
  /** Distinct query terms (stemmed) that matched this chunk. */
  matched: number;
}

export type LexicalIndex = MiniSearch<LexicalDoc>;

/** Stems so that "purging", "purged" and "purge" meet; stopwords (question words, chat filler) are dropped. */
export function lexicalTerm(term: string): string | null {
  return isStopword(term) ? null : stemmer(term);
}

/** BM25 over chunk text and section headings (MiniSearch); headings weigh more because readers ask by topic. */
export function buildLexicalIndex(chunks: StoredChunk[], headingBoost = 2): LexicalIndex {
  const search = new MiniSearch<LexicalDoc>({
    fields: ['text', 'heading'],
    tokenize: (text) => tokenize(text),
    processTerm: (term) => lexicalTerm(term),
    searchOptions: {
      boost: { heading: headingBoost },
      // Typos in names ("tukachevsky", "yezov") still find the right chunk; short words must match exactly.
      fuzzy: (term) => (term.length >= 5 ? 0.2 : 0),
      prefix: (term) => term.length >= 5,
      weights: { fuzzy: 0.5, prefix: 0.6 },
      combineWith: 'OR',
    },
  });
  search.addAll(chunks.map((chunk, i) => ({ id: i, text: chunk.text, heading: chunk.sectionPath.join(' ') })));
  return search;
}

export function searchLexical(index: LexicalIndex, query: string, limit: number, boostTerm?: (term: string) => number): LexicalHit[] {
  if (!query.trim()) return [];
  return index
    .search(query, boostTerm ? { boostTerm } : {})
    .slice(0, limit)
    .map((result) => ({ label: result.id as number, score: result.score, matched: new Set(result.queryTerms).size }));
}
