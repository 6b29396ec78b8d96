import type { Tuning } from '../config/tuning.ts';
import { lexicalTerm } from '../text/tokens.ts';
import { hasTypedAnswer } from './answerType.ts';
import { searchLexical, type LexicalIndex } from './lexicalIndex.ts';
import { overviewOpening, type ArticleOpening } from './overview.ts';
import type { ChunkRecord, PreparedQuery, RankedChunk } from './types.ts';
import { alignmentScore, spellingMatch } from './wordAlignment.ts';

/** What hybrid search reads from an index; `label` is a chunk's position in it. */
export interface SearchableIndex {
  chunks: readonly ChunkRecord[];
  lexical: LexicalIndex;
  /** Vocabulary ids of each chunk's words. */
  chunkWordIds: readonly Int32Array[];
  openings: ReadonlyArray<ArticleOpening<{ label: number }>>;
  wordId(word: string): number | undefined;
  dense(vector: Float32Array, k: number): Array<{ label: number; similarity: number }>;
}

interface Candidate {
  label: number;
  dense: number;
  lexical: number;
  bm25: number;
  coverage: number;
  alignment: number;
  score: number;
}

/**
 * Hybrid search: BM25, dense neighbours and word alignment, fused by a weighted sum of scores.
 * (Plain reciprocal-rank fusion lost to BM25 alone on this corpus, so scores, not ranks, are combined.)
 */
export function hybridSearch(index: SearchableIndex, query: PreparedQuery, tuning: Tuning['retrieval']): RankedChunk[] {
  const { chunks } = index;
  const { fusion } = tuning;
  const terms = new Set(query.terms.map(lexicalTerm).filter((t): t is string => t !== null));
  const contextTerms = new Set([...query.context].map(lexicalTerm));
  const lexicalHits = searchLexical(index.lexical, query.terms, tuning.candidates, tuning.lexical, (term) =>
    contextTerms.has(term) ? fusion.contextWeight : 1,
  );
  const denseHits = index.dense(query.vector, tuning.candidates);
  const bestBm25 = lexicalHits[0]?.score ?? 0;

  const byLabel = new Map<number, Candidate>();
  const entry = (label: number): Candidate => {
    let candidate = byLabel.get(label);
    if (!candidate) {
      candidate = { label, dense: 0, lexical: 0, bm25: 0, coverage: 0, alignment: 0, score: 0 };
      byLabel.set(label, candidate);
    }
    return candidate;
  };
  if (chunks.length < tuning.scoreAllBelow) chunks.forEach((_, label) => entry(label));
  for (const hit of lexicalHits) {
    const candidate = entry(hit.label);
    candidate.bm25 = hit.score;
    candidate.lexical = bestBm25 > 0 ? hit.score / bestBm25 : 0;
    candidate.coverage = terms.size > 0 ? hit.matched / terms.size : 0;
  }
  for (const hit of denseHits) entry(hit.label).dense = Math.max(0, hit.similarity);
  // "What was the Great Purge?" asks for the article's opening, whatever else scores well.
  const opening = overviewOpening(query.text, index.openings)?.label;
  if (opening !== undefined) entry(opening);

  for (const candidate of byLabel.values()) {
    const chunk = chunks[candidate.label]!;
    candidate.alignment = alignmentScore(query.words, index.chunkWordIds[candidate.label]!);
    let score = fusion.lexical * candidate.lexical + fusion.dense * candidate.dense + fusion.alignment * candidate.alignment;
    if (chunk.isReference && !query.preferReferences) score *= fusion.referencePenalty;
    candidate.score = score;
  }
  let ranked = [...byLabel.values()].sort((a, b) => b.score - a.score || a.label - b.label);
  // Re-rank the head: among close candidates, prefer one that holds the kind of answer asked for.
  const type = query.answerType;
  if (type) {
    const variant = spellingMatch(tuning.spelling);
    for (const candidate of ranked.slice(0, tuning.answerTypeDepth)) {
      if (hasTypedAnswer(chunks[candidate.label]!, type, query.words, index.wordId, variant)) candidate.score += fusion.answerType;
    }
    ranked.sort((a, b) => b.score - a.score || a.label - b.label);
  }
  if (opening !== undefined) {
    const first = byLabel.get(opening)!;
    first.score = Math.max(first.score, ranked[0]!.score);
    ranked = [first, ...ranked.filter((c) => c !== first)];
  }
  return ranked.map(({ label, ...scores }) => ({ chunk: chunks[label]!, ...scores }));
}
