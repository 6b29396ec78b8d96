import type { StoredChunk } from '../index/storedIndex.ts';

/** Longest passage quoted to users. */
export const MAX_PASSAGE_CHARS = 800;
const ELLIPSIS = '…';

export interface ComposedPassage {
  text: string;
  /** Sentences of `text`, exactly as they appear in it. */
  sentences: string[];
}

/**
 * The verbatim text to quote for a chunk: the whole chunk when it fits, otherwise the run of whole
 * sentences around the best one, with "…" where text was left out.
 */
export function composePassage(chunk: StoredChunk, sentenceScores: number[]): ComposedPassage {
  const sentences = chunk.sentences.map(([s, e]) => chunk.text.slice(s, e));
  if (chunk.text.length <= MAX_PASSAGE_CHARS) return { text: chunk.text, sentences };

  const best = sentenceScores.reduce((bi, s, i) => (s > (sentenceScores[bi] ?? -Infinity) ? i : bi), 0);
  let first = best;
  let last = best;
  // Grow towards the better-scoring neighbour while it still fits.
  for (;;) {
    const before = first > 0 ? first - 1 : -1;
    const after = last < sentences.length - 1 ? last + 1 : -1;
    const options = [before, after].filter((i) => i >= 0).sort((a, b) => (sentenceScores[b] ?? 0) - (sentenceScores[a] ?? 0) || a - b);
    const next = options.find((i) => Math.max(chunk.sentences[last]![1], chunk.sentences[i]![1]) - Math.min(chunk.sentences[first]![0], chunk.sentences[i]![0]) <= MAX_PASSAGE_CHARS - 4);
    if (next === undefined) break;
    if (next < first) first = next;
    else last = next;
  }
  const body = chunk.text.slice(chunk.sentences[first]![0], chunk.sentences[last]![1]);
  const text = `${first > 0 ? `${ELLIPSIS} ` : ''}${body}${last < sentences.length - 1 ? ` ${ELLIPSIS}` : ''}`;
  return { text, sentences: sentences.slice(first, last + 1) };
}
