import { splitSentences } from '../../text/sentences.ts';
import { ELLIPSIS } from '../../text/marks.ts';

/**
 * Offsets just after each sentence end of a plain text (a notice, a label), from the project's sentence splitter, so a
 * cut never falls after an abbreviation or an initial ("pp. 15-17", "J. Arch Getty"). Quotes bring their own.
 */
export function sentenceEnds(text: string): number[] {
  return splitSentences(text).map(([, end]) => end);
}

/** Offsets of word ends (just before whitespace). */
export function wordEnds(text: string): number[] {
  const ends: number[] = [];
  const re = /\S(?=\s)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) ends.push(m.index + 1);
  return ends;
}

/** Largest candidate for which `fits` holds, assuming `fits` is monotone (shorter prefixes fit more easily). */
function largestFitting(candidates: number[], fits: (end: number) => boolean): number | undefined {
  let lo = 0;
  let hi = candidates.length - 1;
  let best: number | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const end = candidates[mid]!;
    if (fits(end)) {
      best = end;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

export interface Cut {
  /** The kept prefix of the text, trimmed at the end, without the ellipsis. */
  text: string;
  /** True when something was cut off. */
  cut: boolean;
}

/**
 * Longest prefix of `text` such that `measure(prefix + "…")` stays within `max`: at a sentence end when
 * one fits, else at a word end, never mid-word (a single word longer than the limit is the only exception).
 * `measure` is how long the prefix becomes once rendered; it must never be shorter than the prefix itself
 * (escaping and quoting only add characters). `ends` are the text's sentence ends, ascending, when known (a quote's
 * sentence offsets); otherwise the text is split into sentences here.
 */
export function cutToFit(text: string, max: number, measure: (s: string) => number = (s) => s.length, ends?: readonly number[]): Cut {
  if (measure(text) <= max) return { text, cut: false };
  const fits = (end: number) => measure(withEllipsis(text.slice(0, end).trimEnd())) <= max;
  // Rendering only adds characters, so prefixes longer than `max` never fit: skip measuring them (escaping is slow on long text).
  const within = (offsets: readonly number[]) => offsets.filter((end) => end <= max);
  const end = largestFitting(within(ends ?? sentenceEnds(text)), fits) ?? largestFitting(within(wordEnds(text)), fits);
  if (end !== undefined) return { text: text.slice(0, end).trimEnd(), cut: true };
  // One enormous word: a hard cut is the only way to respect the limit.
  let hard = Math.max(0, Math.min(text.length, max - 1));
  while (hard > 0 && measure(text.slice(0, hard) + ELLIPSIS) > max) hard--;
  return { text: text.slice(0, hard), cut: true };
}

/** Marks a cut: " …" after a whole sentence, "…" right after a word. */
export function withEllipsis(prefix: string): string {
  return /[.!?…]["'”’)\]]*$/.test(prefix) ? `${prefix} ${ELLIPSIS}` : prefix + ELLIPSIS;
}

/** Plain-text truncation with "…" at a sentence or word boundary. */
export function truncate(text: string, max: number): string {
  const c = cutToFit(text, max);
  return c.cut ? withEllipsis(c.text) : c.text;
}
