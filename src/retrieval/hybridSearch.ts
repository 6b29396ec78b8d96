import type { Tuning } from '../config/tuning.ts';
import type { TermCount } from '../index/indexDb.ts';
import { hasTypedAnswer } from './answerType.ts';
import { bm25Scorer, type CorpusStats, type Expansion } from './lexicalSearch.ts';
import type { ChunkRecord, PreparedQuery, RankedChunk } from './types.ts';
import { alignmentScore, spellingMatch } from './wordAlignment.ts';

/** A chunk with what scoring reads from the index: its label, vocabulary ids, lexical term counts and length. */
export interface IndexedChunk {
  label: number;
  chunk: ChunkRecord;
  wordIds: Int32Array;
  /** Vocabulary ids of each sentence's topic words (in the order of `chunk.sentences`). */
  sentenceWordIds: readonly Int32Array[];
  termCounts: ReadonlyMap<number, TermCount>;
  headingLength: number;
  bodyLength: number;
  /** Where the chunk starts in its paragraph's text. */
  offsetInParagraph: number;
}

/** What hybrid search reads from an index. */
export interface SearchableIndex {
  stats: CorpusStats;
  /** Every chunk's label, when the corpus is small enough to score whole. */
  everyLabel: readonly number[] | undefined;
  records(labels: readonly number[]): ReadonlyMap<number, IndexedChunk>;
  lexicalCandidates(limit: number): number[];
  dense(vector: Float32Array, k: number): Array<{ label: number; similarity: number }>;
}

interface Candidate {
  indexed: IndexedChunk;
  dense: number;
  lexical: number;
  bm25: number;
  coverage: number;
  alignment: number;
  score: number;
}

/**
 * Hybrid search: BM25, dense neighbours and word alignment, fused by a weighted sum of scores over the union of the
 * lexical and dense candidates (every chunk, on a small corpus). Plain reciprocal-rank fusion lost to BM25 alone on
 * this corpus, so scores, not ranks, are combined.
 */
export function hybridSearch(
  index: SearchableIndex,
  query: PreparedQuery,
  lexical: { expansions: readonly Expansion[]; lexicalTerms: number; opening: number | undefined },
  tuning: Tuning['retrieval'],
): RankedChunk[] {
  const { fusion } = tuning;
  const denseHits = index.dense(query.vector, tuning.candidates);
  const scoreAll = index.stats.chunks < tuning.scoreAllBelow && index.everyLabel !== undefined;
  const labels = new Set<number>(scoreAll ? index.everyLabel : []);
  // Scoring every chunk, FTS5 would only name chunks already there.
  if (!scoreAll) for (const label of index.lexicalCandidates(tuning.candidates)) labels.add(label);
  for (const hit of denseHits) labels.add(hit.label);
  if (lexical.opening !== undefined) labels.add(lexical.opening);
  const found = index.records([...labels]);
  const denseOf = new Map(denseHits.map((h) => [h.label, Math.max(0, h.similarity)]));

  const bm25 = bm25Scorer(lexical.expansions, index.stats, tuning.lexical);
  const candidates: Candidate[] = [...found.values()].map((indexed) => {
    const { score, matched } = bm25(indexed);
    return { indexed, dense: denseOf.get(indexed.label) ?? 0, lexical: 0, bm25: score, coverage: lexical.lexicalTerms > 0 ? matched / lexical.lexicalTerms : 0, alignment: 0, score: 0 };
  });
  const bestBm25 = Math.max(0, ...candidates.map((c) => c.bm25));
  for (const c of candidates) {
    c.lexical = bestBm25 > 0 ? c.bm25 / bestBm25 : 0;
    c.alignment = alignmentScore(query.words, query.bestMatches(c.indexed.wordIds));
    let score = fusion.lexical * c.lexical + fusion.dense * c.dense + fusion.alignment * c.alignment;
    if (c.indexed.chunk.isReference && !query.preferReferences) score *= fusion.referencePenalty;
    c.score = score;
  }
  const order = (a: Candidate, b: Candidate) => b.score - a.score || a.indexed.label - b.indexed.label;
  let ranked = candidates.sort(order);
  // Re-rank the head: among close candidates, prefer one that holds the kind of answer asked for.
  if (query.answerType) {
    const variant = spellingMatch(tuning.spelling);
    for (const c of ranked.slice(0, tuning.answerTypeDepth)) {
      if (hasTypedAnswer(c.indexed, query.answerType, query, variant)) c.score += fusion.answerType;
    }
    ranked.sort(order);
  }
  // "What was the Great Purge?" asks for the article's opening, whatever else scores well.
  const opening = ranked.find((c) => c.indexed.label === lexical.opening);
  if (opening) {
    opening.score = Math.max(opening.score, ranked[0]!.score);
    ranked = [opening, ...ranked.filter((c) => c !== opening)];
  }
  return ranked.map(({ indexed, dense, lexical: normalised, bm25: raw, coverage, alignment, score }) => ({ chunk: indexed.chunk, dense, lexical: normalised, bm25: raw, coverage, alignment, score }));
}
