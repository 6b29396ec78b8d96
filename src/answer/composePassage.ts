import { ELLIPSIS } from '../text/marks.ts';
import type { Span } from '../text/span.ts';
import type { QuoteWindow } from './quoteWindows.ts';

export interface ComposedPassage {
  /** The quote, with "… " before and " …" after when paragraph text is left out there. */
  text: string;
  /** Index in the window of the first quoted sentence. */
  first: number;
  /** The quoted sentences as [start, end) offsets in `text`, one per window sentence from `first` on. */
  sentenceSpans: Span[];
  elided: { before: boolean; after: boolean };
}

/**
 * The verbatim text to quote from a window: all of it when it fits in `maxChars`, otherwise the run of whole
 * sentences around the best one, with the sentences it continues first (`continues[i]`: sentence i leans on
 * sentence i − 1, as "The commission was headed by …" does). "…" marks paragraph text left out before or after.
 */
export function composePassage(window: QuoteWindow, sentenceScores: readonly number[], maxChars: number, continues: readonly boolean[] = []): ComposedPassage {
  const spans = window.sentences;
  const mark = ELLIPSIS.length + 1;
  const span = (first: number, last: number) => spans[last]![1] - spans[first]![0];
  const marks = (first: number, last: number) =>
    (first > 0 || window.continuesBefore ? mark : 0) + (last < spans.length - 1 || window.continuesAfter ? mark : 0);

  let first = 0;
  let last = spans.length - 1;
  if (span(first, last) + marks(first, last) > maxChars) {
    first = last = sentenceScores.reduce((bi, s, i) => (s > (sentenceScores[bi] ?? -Infinity) ? i : bi), 0);
    // The best sentence means little without the one it continues.
    while (first > 0 && continues[first] && span(first - 1, last) <= maxChars - 2 * mark) first--;
    // Grow towards the better-scoring neighbour while it still fits (room kept for "…" on both sides).
    for (;;) {
      const options = [first - 1, last + 1].filter((i) => i >= 0 && i < spans.length).sort((a, b) => (sentenceScores[b] ?? 0) - (sentenceScores[a] ?? 0) || a - b);
      const next = options.find((i) => span(Math.min(first, i), Math.max(last, i)) <= maxChars - 2 * mark);
      if (next === undefined) break;
      if (next < first) first = next;
      else last = next;
    }
  }
  const elided = { before: first > 0 || window.continuesBefore, after: last < spans.length - 1 || window.continuesAfter };
  const bodyStart = spans[first]![0];
  const prefix = elided.before ? `${ELLIPSIS} ` : '';
  const text = `${prefix}${window.text.slice(bodyStart, spans[last]![1])}${elided.after ? ` ${ELLIPSIS}` : ''}`;
  const shift = prefix.length - bodyStart;
  const sentenceSpans = spans.slice(first, last + 1).map(([s, e]): Span => [s + shift, e + shift]);
  return { text, first, sentenceSpans, elided };
}
