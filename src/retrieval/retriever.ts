import type { LoadedIndex } from '../index/loadIndex.ts';
import { stemmer } from 'stemmer';
import { searchHnsw } from '../index/hnsw.ts';
import { buildLexicalIndex, lexicalTerm, searchLexical, type LexicalIndex } from './lexicalIndex.ts';
import { contentTerms, tokenize } from './queryTerms.ts';
import { topicWordsOf } from './vocabulary.ts';
import { alignmentScore, type QueryWord } from './wordAlignment.ts';
import { CONTEXT_WEIGHT } from './queryWords.ts';
import { expectedAnswerType, hasTypedAnswer } from './answerType.ts';
import { articleOpenings, overviewOpening, type ArticleOpening } from './overview.ts';

/** An index ready for questions: the loaded files plus what is derived from them once, at load. */
export interface Retriever {
  index: LoadedIndex;
  lexical: LexicalIndex;
  /** Inverse document frequency of a word over the chunks (unknown words count as rare). */
  idf(term: string): number;
  /** Vocabulary id of a word, if the corpus has it. */
  wordId(word: string): number | undefined;
  /** Vocabulary ids of each chunk's words (text and heading). */
  chunkWordIds: Int32Array[];
  /** Stem of each vocabulary word, for spelling variants. */
  vocabularyStems: string[];
  /** First chunk of each article, for questions about an article's whole subject. */
  openings: ArticleOpening[];
}

/** Chunks handled between two yields to the event loop while a retriever is built. */
const SLICE = 1000;

/**
 * Derives everything retrieval needs from a loaded index. On a big corpus this takes seconds, so it works in
 * slices and yields between them: a running bot keeps answering and heartbeating while a new index is prepared.
 */
export async function createRetriever(index: LoadedIndex): Promise<Retriever> {
  const ids = new Map(index.vocabulary.words.map((word, i) => [word, i]));
  const documentFrequency = new Map<string, number>();
  const chunkWordIds: Int32Array[] = [];
  for (const [i, chunk] of index.chunks.entries()) {
    if (i % SLICE === SLICE - 1) await yieldToEventLoop();
    const tokens = tokenize(chunk.text);
    for (const term of new Set(tokens)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    const words = topicWordsOf([...tokenize(chunk.sectionPath.join(' ')), ...tokens]);
    chunkWordIds.push(Int32Array.from(words.map((w) => ids.get(w)).filter((id): id is number => id !== undefined)));
  }
  const n = index.chunks.length;
  return {
    index,
    lexical: await buildLexicalIndex(index.chunks, SLICE),
    idf: (term) => Math.log(1 + (n + 1) / ((documentFrequency.get(term) ?? 0) + 1)),
    wordId: (word) => ids.get(word),
    chunkWordIds,
    vocabularyStems: index.vocabulary.words.map((word) => stemmer(word)),
    openings: articleOpenings(index.chunks),
  };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface Candidate {
  label: number;
  /** Cosine similarity of the query to the chunk (0 when the chunk was not among the dense neighbours). */
  dense: number;
  /** BM25 score divided by the best BM25 score of this query (0..1). */
  lexical: number;
  /** Raw BM25 score. */
  bm25: number;
  /** Share of the query's content terms found in the chunk by BM25 (exact, prefix or fuzzy). */
  coverage: number;
  /** Word alignment of the query with the chunk (0..1). */
  alignment: number;
  score: number;
}

export interface FusionParams {
  lexical: number;
  dense: number;
  alignment: number;
  /** Multiplier for reference lists when the question does not ask for sources. */
  referencePenalty: number;
  /** Bonus for a chunk that holds the kind of answer asked for (a year for "when", a number for "how many"). */
  answerType: number;
}

/** Fusion weights, chosen on the evaluation set's dev split (`npm run eval`). */
export const FUSION: FusionParams = { lexical: 0.25, dense: 0.25, alignment: 0.5, referencePenalty: 0.35, answerType: 0.05 };

/** Candidates taken from each of BM25 and HNSW; small corpora are scored whole. */
const CANDIDATES = 50;
const SCORE_ALL_BELOW = 3000;
const ANSWER_TYPE_DEPTH = 10;

/**
 * Hybrid search: BM25, dense neighbours and word alignment, fused by a weighted sum of scores.
 * (Plain reciprocal-rank fusion lost to BM25 alone on this corpus, so scores, not ranks, are combined.)
 */
export function hybridSearch(
  retriever: Retriever,
  query: { text: string; vector: Float32Array; words: QueryWord[]; context?: Set<string> },
  options: { preferReferences: boolean },
  fusion: FusionParams = FUSION,
): Candidate[] {
  const { chunks } = retriever.index;
  const words = contentTerms(query.text);
  const terms = new Set(words.map(lexicalTerm).filter((t): t is string => t !== null));
  const contextTerms = new Set([...(query.context ?? [])].map(lexicalTerm));
  const lexicalHits = searchLexical(retriever.lexical, words.join(' '), CANDIDATES, (term) => (contextTerms.has(term) ? CONTEXT_WEIGHT : 1));
  const denseHits = searchHnsw(retriever.index.hnsw, query.vector, CANDIDATES);
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
  if (chunks.length < SCORE_ALL_BELOW) chunks.forEach((_, label) => entry(label));
  for (const hit of lexicalHits) {
    const candidate = entry(hit.label);
    candidate.bm25 = hit.score;
    candidate.lexical = bestBm25 > 0 ? hit.score / bestBm25 : 0;
    candidate.coverage = terms.size > 0 ? hit.matched / terms.size : 0;
  }
  for (const hit of denseHits) entry(hit.label).dense = Math.max(0, hit.similarity);
  // "What was the Great Purge?" asks for the article's opening, whatever else scores well.
  const opening = overviewOpening(query.text, retriever.openings);
  if (opening !== undefined) entry(opening);

  for (const candidate of byLabel.values()) {
    const chunk = chunks[candidate.label]!;
    candidate.alignment = alignmentScore(query.words, retriever.chunkWordIds[candidate.label]!);
    let score = fusion.lexical * candidate.lexical + fusion.dense * candidate.dense + fusion.alignment * candidate.alignment;
    if (chunk.isReference && !options.preferReferences) score *= fusion.referencePenalty;
    candidate.score = score;
  }
  const ranked = [...byLabel.values()].sort((a, b) => b.score - a.score || a.label - b.label);
  // Re-rank the head: among close candidates, prefer one that holds the kind of answer asked for.
  const type = expectedAnswerType(query.text);
  if (type) {
    for (const candidate of ranked.slice(0, ANSWER_TYPE_DEPTH)) {
      if (hasTypedAnswer(chunks[candidate.label]!, type, query.words, retriever.wordId)) candidate.score += fusion.answerType;
    }
    ranked.sort((a, b) => b.score - a.score || a.label - b.label);
  }
  if (opening !== undefined) {
    const first = byLabel.get(opening)!;
    first.score = Math.max(first.score, ranked[0]!.score);
    return [first, ...ranked.filter((c) => c !== first)];
  }
  return ranked;
}
