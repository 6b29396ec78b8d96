import type { QuoteWindow } from './quoteWindows.ts';

/** Longest passage quoted to users. */
export const MAX_PASSAGE_CHARS = 800;
const ELLIPSIS = '…';

export interface ComposedPassage {
  text: string;
  /** Sentences of `text`, exactly as they appear in it. */
  sentences: string[];
  /** Index in the window of the first quoted sentence. */
  first: number;
}

/**
 * The verbatim text to quote from a window: all of it when it fits, otherwise the run of whole sentences
 * around the best one. "…" marks paragraph text left out before or after.
 */
export function composePassage(window: QuoteWindow, sentenceScores: number[]): ComposedPassage {
  const spans = window.sentences;
  const span = (first: number, last: number) => spans[last]![1] - spans[first]![0];
  const marks = (first: number, last: number) =>
    (first > 0 || window.continuesBefore ? ELLIPSIS.length + 1 : 0) + (last < spans.length - 1 || window.continuesAfter ? ELLIPSIS.length + 1 : 0);

  let first = 0;
  let last = spans.length - 1;
  if (span(first, last) + marks(first, last) > MAX_PASSAGE_CHARS) {
    first = last = sentenceScores.reduce((bi, s, i) => (s > (sentenceScores[bi] ?? -Infinity) ? i : bi), 0);
    // Grow towards the better-scoring neighbour while it still fits (room kept for "…" on both sides).
    for (;;) {
      const options = [first - 1, last + 1].filter((i) => i >= 0 && i < spans.length).sort((a, b) => (sentenceScores[b] ?? 0) - (sentenceScores[a] ?? 0) || a - b);
      const next = options.find((i) => span(Math.min(first, i), Math.max(last, i)) <= MAX_PASSAGE_CHARS - 2 * (ELLIPSIS.length + 1));
      if (next === undefined) break;
      if (next < first) first = next;
      else last = next;
    }
  }
  const body = window.text.slice(spans[first]![0], spans[last]![1]);
  const before = first > 0 || window.continuesBefore ? `${ELLIPSIS} ` : '';
  const after = last < spans.length - 1 || window.continuesAfter ? ` ${ELLIPSIS}` : '';
  return { text: `${before}${body}${after}`, sentences: spans.slice(first, last + 1).map(([s, e]) => window.text.slice(s, e)), first };
}
