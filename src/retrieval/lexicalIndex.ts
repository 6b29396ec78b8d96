import MiniSearch from 'minisearch';
import { lexicalTerm, tokenize } from '../text/tokens.ts';
import type { Tuning } from '../config/tuning.ts';
import type { ChunkRecord } from './types.ts';

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

/**
 * BM25 over chunk text and section headings (MiniSearch), on the project's own tokens and stems.
 * Built in slices of `slice` chunks (MiniSearch's addAllAsync), so a big corpus does not block the event loop.
 */
export async function buildLexicalIndex(chunks: ReadonlyArray<Pick<ChunkRecord, 'text' | 'sectionPath'>>, slice: number): Promise<LexicalIndex> {
  const search = new MiniSearch<LexicalDoc>({
    fields: ['text', 'heading'],
    tokenize: (text) => tokenize(text),
    processTerm: lexicalTerm,
  });
  await search.addAllAsync(
    chunks.map((chunk, i) => ({ id: i, text: chunk.text, heading: chunk.sectionPath.join(' ') })),
    { chunkSize: slice },
  );
  return search;
}

/**
 * The best `limit` chunks for the query terms, OR-combined; headings weigh more because readers ask by topic, and
 * long words also match with a typo ("tukachevsky", "yezov") or as a prefix.
 */
export function searchLexical(
  index: LexicalIndex,
  terms: readonly string[],
  limit: number,
  options: Tuning['retrieval']['lexical'],
  boostTerm?: (term: string) => number,
): LexicalHit[] {
  const query = terms.join(' ');
  if (!query.trim()) return [];
  return index
    .search(query, {
      boost: { heading: options.headingBoost },
      fuzzy: (term) => (term.length >= options.fuzzyMinLength ? options.fuzziness : 0),
      prefix: (term) => term.length >= options.fuzzyMinLength,
      weights: { fuzzy: options.fuzzyWeight, prefix: options.prefixWeight },
      combineWith: 'OR',
      ...(boostTerm ? { boostTerm } : {}),
    })
    .slice(0, limit)
    .map((result) => ({ label: result.id as number, score: result.score, matched: new Set(result.queryTerms).size }));
}
