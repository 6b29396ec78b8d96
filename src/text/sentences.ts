import { BULLET_RE } from './bullets.ts';

/**
 * Sentence boundaries in `text` as [start, end) offsets; whitespace between sentences is not part of any sentence.
 *
 * Built on the Unicode sentence-break rules (UAX #29) as ICU implements them in Node (`Intl.Segmenter`, linear
 * time) plus a thin layer for encyclopedia text:
 * - blank lines and list items ("  • …", "- …", "1. …") are hard boundaries; the bullet is not part of the sentence;
 * - a sentence goes on inside brackets and quotation marks that close ('"Stop. Go home."', "(Реабилитация. …)");
 * - it splits after initials and abbreviations ("A.N. Yakovlev", "Yu. Sigachev", "acad. A.", "Vol. 2"), so we
 *   rejoin a piece that ends with one, and any piece followed by one starting with a lower-case letter or digit;
 * - after a number or a closing quote that ends a sentence ("… in 1940. Of the seven …", '… frame-ups." Some …')
 *   we split where the rules did not, outside quotes and brackets.
 * Very long segments are first cut at unambiguous boundaries, because V8's segmenter slows down quadratically on
 * long strings.
 */
export function splitSentences(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [s, e] of segments(text)) {
    for (const [a, b] of splitSegment(text.slice(s, e))) out.push([s + a, s + b]);
  }
  return out;
}

/** Hard pieces of text: runs of non-blank lines, each list item starting a new piece (without its bullet). */
function segments(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let segStart = -1;
  let segEnd = -1;
  const close = (): void => {
    if (segStart >= 0) out.push([segStart, segEnd]);
    segStart = -1;
  };
  const re = /\r\n|\n|\r/g;
  let lineStart = 0;
  for (;;) {
    const m = re.exec(text);
    const lineEnd = m === null ? text.length : m.index;
    const line = text.slice(lineStart, lineEnd);
    if (/^\s*$/u.test(line)) {
      close();
    } else {
      const bullet = BULLET_RE.exec(line);
      if (bullet !== null) close();
      if (segStart < 0) segStart = lineStart + (bullet !== null ? bullet[0].length : line.length - line.trimStart().length);
      segEnd = lineEnd - (line.length - line.trimEnd().length);
    }
    if (m === null) break;
    lineStart = m.index + m[0].length;
  }
  close();
  return out;
}

/** Segments longer than this are pre-cut before segmenting: V8's Intl.Segmenter gets quadratic on long strings. */
const SEGMENTER_MAX = 8_000;

function splitSegment(seg: string): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  for (const [s, e] of seg.length <= SEGMENTER_MAX ? [[0, seg.length] as [number, number]] : safeCuts(seg)) {
    // A piece that no safe cut shortened stays whole rather than risk a quadratic segmenting.
    const parts: Array<[number, number]> = e - s <= SEGMENTER_MAX ? unicodeSentences(seg.slice(s, e)) : [[0, e - s]];
    for (const [a, b] of parts) pieces.push([s + a, s + b]);
  }
  const enclosed = enclosedPositions(seg);
  return splitMissedBoundaries(seg, mergeAbbreviations(seg, pieces, enclosed), enclosed)
    .map(([a, b]) => trim(seg, a, b))
    .filter(([a, b]) => b > a);
}

const SEGMENTER = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Sentences by the Unicode sentence-break rules, trimmed. */
function unicodeSentences(seg: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const { index, segment } of SEGMENTER.segment(seg)) {
    const [a, b] = trim(seg, index, index + segment.length);
    if (b > a) out.push([a, b]);
  }
  return out;
}

function trim(s: string, a: number, b: number): [number, number] {
  while (a < b && /\s/u.test(s[a]!)) a++;
  while (b > a && /\s/u.test(s[b - 1]!)) b--;
  return [a, b];
}

/**
 * Cuts a long segment at boundaries no reader would dispute: a lower-case word of 3+ letters (not an abbreviation),
 * then . ! or ?, whitespace and a capital letter, outside brackets. Pieces stay near SEGMENTER_MAX / 2.
 */
function safeCuts(seg: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = /\p{Ll}{3,}[.!?]["'”’]?(\s+)(?=["'“‘(]?\p{Lu})/gu;
  let start = 0;
  for (let m = re.exec(seg); m !== null; m = re.exec(seg)) {
    const cut = m.index + m[0].length - m[1]!.length;
    const word = /\p{Ll}+(?=[.!?])/u.exec(m[0])![0];
    if (ABBREVIATIONS.has(word) || cut - start < SEGMENTER_MAX / 2) continue;
    out.push([start, cut]);
    start = m.index + m[0].length;
  }
  out.push([start, seg.length]);
  return out;
}

/** Abbreviations after which a sentence does not end (compared lower-case, without the dot). */
const ABBREVIATIONS = new Set([
  'acad', 'prof', 'dr', 'mr', 'mrs', 'ms', 'messrs', 'mme', 'st', 'gen', 'col', 'capt', 'lt', 'sgt', 'maj', 'adm', 'cmdr',
  'gov', 'sen', 'rep', 'rev', 'hon', 'pres', 'vol', 'vols', 'pp', 'cf', 'vs', 'approx', 'ca', 'fig', 'figs', 'chap', 'op',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mt', 'ft', 'nos', 'viz',
]);

/** "A.", "A.N.", "Yu.", "V." — initials; or a known abbreviation ("acad.", "Vol."). */
function endsWithAbbreviation(piece: string): boolean {
  const m = /(?:^|[\s("'“‘])([\p{L}.]+)\.$/u.exec(piece);
  if (m === null) return false;
  const token = m[1]! + '.';
  if (/^(?:\p{Lu}\p{Ll}?\.)+$/u.test(token)) return true;
  return ABBREVIATIONS.has(m[1]!.toLowerCase().replace(/\./g, ''));
}

/**
 * Which positions of the segment lie between a bracket or quotation mark and its closing partner ("(Реабилитация.
 * Политические …)", '"Stop. Go home."'): a sentence goes on inside them. Unclosed ones protect nothing, so a stray
 * quotation mark cannot swallow the rest of a paragraph.
 */
function enclosedPositions(seg: string): Uint8Array {
  const spans: Array<[number, number]> = [];
  const brackets: number[] = [];
  let quote = -1;
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i]!;
    if (ch === '(' || ch === '[') brackets.push(i);
    else if ((ch === ')' || ch === ']') && brackets.length > 0) spans.push([brackets.pop()!, i]);
    else if (ch === '“' || (ch === '"' && quote < 0)) quote = i;
    else if ((ch === '”' || ch === '"') && quote >= 0) {
      spans.push([quote, i]);
      quote = -1;
    }
  }
  const inside = new Uint8Array(seg.length);
  for (const [open, close] of spans) inside.fill(1, open + 1, close);
  return inside;
}

function mergeAbbreviations(seg: string, pieces: Array<[number, number]>, enclosed: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const piece of pieces) {
    const prev = out[out.length - 1];
    if (prev !== undefined) {
      const prevText = seg.slice(prev[0], prev[1]);
      const nextText = seg.slice(piece[0], piece[1]);
      if (endsWithAbbreviation(prevText) || enclosed[piece[0]] === 1 || /^["'“‘([]?[\p{Ll}\p{N}]/u.test(nextText)) {
        prev[1] = piece[1];
        continue;
      }
    }
    out.push([piece[0], piece[1]]);
  }
  return out;
}

/**
 * Splits where the sentence-break rules do not, outside brackets and quotes, before whitespace and a capital
 * letter: after a number and a full stop ("… in 1940. Of the seven …"), and after a closing quotation mark that
 * follows . ! or ? ('… to be frame-ups." Some observers …').
 */
function splitMissedBoundaries(seg: string, pieces: Array<[number, number]>, enclosed: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of pieces) {
    let start = a;
    for (let i = a; i < b; i++) {
      if (enclosed[i] === 1) continue;
      const ch = seg[i]!;
      let candidate = false;
      if (ch === '"' || ch === '”') {
        // A closing quotation mark: the text just before it is enclosed.
        candidate = i > a && enclosed[i - 1] === 1 && /[.!?]/u.test(seg[i - 1]!);
      } else if (ch === '.') {
        // A number as a whole token ("1940.", "1980s.", "1,108."), not part of a word like "A4.".
        const token = /[^\s(]*$/u.exec(seg.slice(Math.max(a, i - 24), i))![0];
        candidate = /^\d[\d,]*(?:s|st|nd|rd|th)?$/u.test(token);
      }
      if (!candidate) continue;
      const rest = /^\s+(?=["“‘']?\p{Lu})/u.exec(seg.slice(i + 1, Math.min(b, i + 12)));
      if (rest === null) continue;
      out.push([start, i + 1]);
      start = i + 1 + rest[0].length;
      i = start - 1;
    }
    out.push([start, b]);
  }
  return out;
}
