import type { Paragraph, Section } from './types.ts';
import { isBlank, type Line } from './text.ts';
import { isBulletLine } from '../text/bullets.ts';

/** Lines between blank lines. `start`/`end` trim surrounding whitespace; `blankBefore` counts blank lines before it. */
export interface Block {
  lines: Line[];
  start: number;
  end: number;
  blankBefore: number;
}

export function makeBlock(lines: Line[], blankBefore: number): Block {
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  const lead = first.text.length - first.text.trimStart().length;
  const trail = last.text.length - last.text.trimEnd().length;
  return { lines, start: first.start + lead, end: last.end - trail, blankBefore };
}

/** Groups lines into blocks separated by blank lines. */
export function blocksOf(lines: Line[]): Block[] {
  const blocks: Block[] = [];
  let current: Line[] = [];
  let blanks = 0;
  let blankBefore = 0;
  for (const line of lines) {
    if (isBlank(line.text)) {
      if (current.length > 0) {
        blocks.push(makeBlock(current, blankBefore));
        current = [];
        blanks = 0;
      }
      blanks++;
    } else {
      if (current.length === 0) blankBefore = blanks;
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(makeBlock(current, blankBefore));
  return blocks;
}

/** "Main article: Moscow Trials." and similar one-line pointers to other articles: not content. */
const POINTER_RE =
  /^[\s*_>]*(?:main articles?|further information|for (?:more|further) (?:details|information)(?: on [^:]+)?|see also|see)\s*:\s*\S.*$/iu;

export function isPointerBlock(block: Block): boolean {
  return block.lines.length === 1 && POINTER_RE.test(block.lines[0]!.text);
}

/** "The contents of this article are licensed … GNU Free Documentation License …": a licence notice, not content. */
export function isLicenceBlock(block: Block): boolean {
  if (block.lines.length !== 1) return false;
  const text = block.lines[0]!.text;
  return (
    /\blicen[cs](?:ed|e)\b/iu.test(text) &&
    /GNU Free Documentation License|\bGFDL\b|Creative Commons|\bCC[ -]BY\b/iu.test(text)
  );
}

const REFERENCE_WORDS = new Set([
  'references', 'reference', 'further', 'reading', 'external', 'links', 'link', 'see', 'also', 'bibliography',
  'notes', 'note', 'sources', 'source', 'citations', 'footnotes', 'works', 'cited', 'literature', 'and', '&',
]);

/** Headings of reference lists: "References", "External links", "Further reading and references", "Notes and sources", … */
export function isReferenceHeading(heading: string): boolean {
  const words = heading.toLowerCase().split(/[\s,]+/u).filter((w) => w !== '');
  if (words.length === 0 || words.length > 6) return false;
  if (!words.every((w) => REFERENCE_WORDS.has(w))) return false;
  // "Source" / "Link" / "See" alone are too vague to be a reference list heading.
  return words.some((w) =>
    ['references', 'reference', 'reading', 'links', 'also', 'bibliography', 'notes', 'sources', 'citations', 'footnotes', 'cited', 'literature'].includes(w),
  );
}

/**
 * Paragraphs of one section. Pointer lines are dropped; a list block (first line is a list item) belongs to the
 * paragraph just before it — its lead-in — so that paragraph then spans from the lead-in to the last item, verbatim.
 */
export function paragraphsOf(blocks: Block[], source: string): Paragraph[] {
  const out: Paragraph[] = [];
  let attachable = false;
  for (const block of blocks) {
    if (isPointerBlock(block)) {
      attachable = false;
      continue;
    }
    const last = out[out.length - 1];
    if (attachable && last !== undefined && isBulletLine(block.lines[0]!.text)) {
      last.end = block.end;
      last.text = source.slice(last.start, last.end);
    } else {
      out.push({ text: source.slice(block.start, block.end), start: block.start, end: block.end });
      attachable = true;
    }
  }
  return out;
}

export interface RawSection {
  heading: string;
  path: string[];
  blocks: Block[];
}

export function finishSections(raw: RawSection[], source: string): Section[] {
  return raw.map((s) => ({
    heading: s.heading,
    path: s.path,
    isReference: s.path.some(isReferenceHeading),
    paragraphs: paragraphsOf(s.blocks, source),
  }));
}
