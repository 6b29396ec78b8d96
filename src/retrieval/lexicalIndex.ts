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

/**
 * BM25 over chunk text and section headings (MiniSearch); headings weigh more because readers ask by topic.
 * Built in slices of `slice` chunks (MiniSearch's addAllAsync), so a big corpus does not block the event loop.
 */
export async function buildLexicalIndex(chunks: StoredChunk[], slice: number, headingBoost = 2): Promise<LexicalIndex> {
  const search = new MiniSearch<LexicalDoc>({
    fields: ['text', 'heading'],
    tokenize: (text) => tokenize(text),
    processTerm: memoized(lexicalTerm),
    searchOptions: {
      boost: { heading: headingBoost },
      // Typos in names ("tukachevsky", "yezov") still find the right chunk; short words must match exactly.
      fuzzy: (term) => (term.length >= 5 ? 0.2 : 0),
      prefix: (term) => term.length >= 5,
      weights: { fuzzy: 0.5, prefix: 0.6 },
      combineWith: 'OR',
    },
  });
  await search.addAllAsync(
    chunks.map((chunk, i) => ({ id: i, text: chunk.text, heading: chunk.sectionPath.join(' ') })),
    { chunkSize: slice },
  );
  return search;
}

/** Most words whose stem is remembered; past it (a long-running bot meeting endless typos) stems are computed afresh. */
const MEMO_LIMIT = 200_000;

/** Stemming dominates indexing time, and a corpus repeats its words: each distinct word is stemmed once. */
function memoized(term: (word: string) => string | null): (word: string) => string | null {
  const memo = new Map<string, string | null>();
  return (word) => {
    let result = memo.get(word);
    if (result === undefined) {
      result = term(word);
      if (memo.size < MEMO_LIMIT) memo.set(word, result);
    }
    return result;
  };
}

export function searchLexical(index: LexicalIndex, query: string, limit: number, boostTerm?: (term: string) => number): LexicalHit[] {
  if (!query.trim()) return [];
  return index
    .search(query, boostTerm ? { boostTerm } : {})
    .slice(0, limit)
    .map((result) => ({ label: result.id as number, score: result.score, matched: new Set(result.queryTerms).size }));
}
