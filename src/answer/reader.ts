import type { Tuning } from '../config/tuning.ts';
import type { StoredFacts } from '../chunks/articleFacts.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import type { QuestionAnalysis } from '../retrieval/question.ts';
import type { ChunkRecord, PreparedQuery, RankedChunk, SentenceMatch } from '../retrieval/types.ts';
import { spellingMatch } from '../retrieval/wordAlignment.ts';
import { tokenize } from '../text/tokens.ts';
import { sentenceKey, windowAround, type QuoteWindow } from './quoteWindows.ts';

/** A ranked chunk as the reader has read it: its window, and how well each of the window's sentences answers. */
export interface Reading {
  candidate: RankedChunk;
  /** Its quote window (for the chunks read; see readingWindow). */
  window?: QuoteWindow;
  /** The answer score of each sentence of the window, keyed by sentenceKey. */
  scores: Map<string, number>;
  /** How each sentence (with the one it continues) meets the query's words: what answerability is judged on. */
  windows: SentenceMatch[][];
  /** The best of them, among the chunk's own sentences and its neighbours'. */
  best: number;
  /** Retrieval score plus the reader's: what the passages are ordered by. */
  score: number;
}

type ReaderTuning = Tuning['reader']['answer'];

/**
 * Reads the best-ranked chunks: scores every sentence of each one's window for how well it answers the question,
 * and orders them by retrieval score plus `weight` × their best sentence. Chunks below `depth` keep their order.
 */
export function readCandidates(retriever: Retriever, query: PreparedQuery, ranked: readonly RankedChunk[], tuning: Tuning): Reading[] {
  const options = tuning.reader.answer;
  const variant = spellingMatch(tuning.retrieval.spelling);
  const head = ranked.slice(0, options.depth).map((candidate) => {
    const paragraph = retriever.paragraphOf(candidate.chunk);
    const window = windowAround(candidate.chunk, paragraph);
    const members = new Map<string, ChunkRecord>((paragraph?.chunks ?? []).map(({ chunk }) => [chunk.id, chunk]));
    members.set(candidate.chunk.id, candidate.chunk);
    const matches = new Map<string, SentenceMatch[]>();
    const matchesOf = (chunk: ChunkRecord) => matches.get(chunk.id) ?? matches.set(chunk.id, retriever.sentenceMatches(query, chunk)).get(chunk.id)!;
    const sentences = window.sentenceRefs.map((ref) => {
      const chunk = members.get(ref.chunkId)!;
      return { key: sentenceKey(ref), match: matchesOf(chunk)[ref.index]!, facts: chunk.facts[ref.index] ?? {} };
    });
    const scores = new Map<string, number>();
    const windows: SentenceMatch[][] = [];
    sentences.forEach((sentence, i) => {
      // A sentence that leans on the one before it ("The commission was headed by …") is read with it.
      const previous = sentence.facts.continues ? sentences[i - 1] : undefined;
      const read = previous ? [previous, sentence] : [sentence];
      windows.push(read.map((s) => s.match));
      // Otherwise the sentence before it is context: what it says of the question's words counts for part.
      const context = previous ? undefined : sentences[i - 1]?.match;
      scores.set(sentence.key, answerScore(query, read, context, variant, options));
    });
    const best = Math.max(0, ...scores.values());
    return { candidate, window, scores, windows, best, score: candidate.score + options.weight * best };
  });
  head.sort((a, b) => b.score - a.score);
  // The rest are windowed only if they are shown (readingWindow): most never are, and a window reads a paragraph.
  const rest = ranked.slice(options.depth).map((candidate) => ({
    candidate,
    scores: new Map<string, number>(),
    windows: [],
    best: 0,
    score: candidate.score,
  }));
  return [...head, ...rest];
}

/** The quote window of a reading: the one it was read in, or (for a chunk below the read depth) its window now. */
export function readingWindow(retriever: Retriever, reading: Reading): QuoteWindow {
  return reading.window ?? windowAround(reading.candidate.chunk, retriever.paragraphOf(reading.candidate.chunk));
}

/**
 * How well a sentence (with the one it continues) answers, the sentence before it counting `context` as much: how much of the question's words it has (exactly, and by
 * word similarity, rarity-weighted), whether it holds the kind of answer asked for (a year for "when", a person for
 * "who" whom the question does not name already), and whether it names what the question names.
 */
function answerScore(
  query: PreparedQuery,
  window: ReadonlyArray<{ match: SentenceMatch; facts: StoredFacts }>,
  context: SentenceMatch | undefined,
  variant: number,
  options: ReaderTuning,
): number {
  const { words, analysis } = query;
  let total = 0;
  let aligned = 0;
  let exact = 0;
  const bestOf = words.map((_, q) => Math.max(...window.map((s) => s.match[q] ?? 0)));
  words.forEach((w, q) => {
    const fromContext = options.context * (context?.[q] ?? 0);
    total += w.weight;
    aligned += w.weight * Math.max(bestOf[q]!, fromContext);
    if (bestOf[q]! >= variant) exact += w.weight;
    else if (fromContext >= options.context * variant) exact += options.context * w.weight;
  });
  if (total === 0) return 0;
  const facts = window.at(-1)!.facts;
  const named = entityCover(analysis, words.map((w) => w.word), bestOf, variant);
  return options.alignment * (aligned / total) + options.exact * (exact / total) + options.type * typeMatch(analysis, facts, query.keys, query.context) + options.entity * named;
}

/**
 * 1 when the sentence holds an answer of the kind the question asks for, that the question (or the conversation,
 * `context`) does not already name; for "what is X?", when it defines or glosses X (`keys`: the question's lexical
 * n-grams).
 */
export function typeMatch(analysis: QuestionAnalysis, facts: StoredFacts, keys: ReadonlySet<string>, context: ReadonlySet<string> = new Set()): number {
  const known = analysis.entities.map((e) => e.canonical.toLowerCase());
  const isNew = (name: string) => {
    const lower = name.toLowerCase();
    const last = lower.split(' ').at(-1)!;
    return !context.has(last) && !known.some((k) => lower.includes(k) || k.includes(last));
  };
  switch (analysis.answerType) {
    case 'person':
      return (facts.person ?? []).some(isNew) ? 1 : 0;
    case 'organisation':
      return (facts.organisation ?? []).some(isNew) ? 1 : 0;
    case 'place':
      return (facts.place ?? []).some(isNew) ? 1 : 0;
    case 'date':
      return (facts.years ?? []).some((y) => !analysis.years.includes(y)) ? 1 : 0;
    case 'number':
      return (facts.numbers ?? 0) > 0 ? 1 : 0;
    case 'definition':
      return (facts.defines ?? []).some((key) => keys.has(key) || keys.has(key.split(' ').slice(-2).join(' '))) ? 1 : 0;
    default:
      return 0;
  }
}

/** Share of the question's names that the sentence has (any word of the name, as such or with a typo). */
function entityCover(analysis: QuestionAnalysis, queryWords: readonly string[], bestOf: readonly number[], variant: number): number {
  if (analysis.entities.length === 0) return 0;
  const has = analysis.entities.filter((e) => tokenize(e.text).some((word) => {
    const q = queryWords.indexOf(word);
    return q >= 0 && bestOf[q]! >= variant;
  }));
  return has.length / analysis.entities.length;
}
