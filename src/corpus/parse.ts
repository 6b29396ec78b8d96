import type { Article, Section } from './types.ts';
import { CorpusError } from './errors.ts';
import { blocksOf, finishSections, makeBlock, isLicenceBlock, type Block, type RawSection } from './blocks.ts';
import { isBulletLine } from '../text/bullets.ts';
import { MAX_ARTICLE_BYTES, isBlank, slugFromFile, splitLines, stripBom, tooLarge, type Line } from './text.ts';

/** File extensions read as articles (compared case-insensitively). */
export const ARTICLE_EXTENSIONS = ['.txt', '.md'] as const;

/** Files in the corpus folder that are documentation, not articles. */
const NOT_ARTICLES = /^(?:readme|license|licence|copying|changelog)(?:\.[^.]*)?$/iu;

/** Whether a file name (not a path) is an article file: `.txt` or `.md`, not hidden, not README/LICENSE. */
export function isArticleFileName(name: string): boolean {
  if (name.startsWith('.') || NOT_ARTICLES.test(name)) return false;
  const lower = name.toLowerCase();
  return ARTICLE_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length);
}

/** Parses one article; dispatches on the file extension. `file` is the path relative to the corpus folder. */
export function parseArticle(file: string, source: string): Article {
  const lower = file.toLowerCase();
  if (lower.endsWith('.md')) return parseMarkdown(file, source);
  if (lower.endsWith('.txt')) return parsePlainText(file, source);
  throw new CorpusError(`${file}: unsupported file type`, 'Articles must be .txt (plain encyclopedia text) or .md (Markdown).', file);
}

function prepare(file: string, raw: string): { id: string; source: string } {
  const source = stripBom(raw);
  if (source.length > MAX_ARTICLE_BYTES || Buffer.byteLength(source, 'utf8') > MAX_ARTICLE_BYTES) {
    throw tooLarge(file, Buffer.byteLength(source, 'utf8'));
  }
  if (isBlank(source)) throw new CorpusError(`${file}: is empty`, 'Put the article text in it, or remove the file.', file);
  if (source.includes('\u0000')) {
    throw new CorpusError(`${file}: looks like a binary file (it contains NUL characters)`, 'Articles must be UTF-8 text.', file);
  }
  const id = slugFromFile(file);
  if (id === '') {
    throw new CorpusError(`${file}: cannot derive an article id from the file name`, 'Rename it to contain letters or digits.', file);
  }
  return { id, source };
}

function noContent(file: string): CorpusError {
  return new CorpusError(`${file}: has a title but no article text`, 'Add paragraphs below the title, or remove the file.', file);
}

function checkUrl(file: string, url: string): string {
  if (!/^https?:\/\/\S+$/iu.test(url)) {
    throw new CorpusError(`${file}: the source "${url}" is not an http(s) URL`, 'Write it as https://…', file);
  }
  return url;
}

// ---------------------------------------------------------------------------------------------------------------
// Plain text (.txt)

const SOURCE_LINE_RE = /^\s*(?:source\s*:\s*)?(https?:\/\/\S+)\s*$/iu;

function sourceLine(block: Block | undefined): string | undefined {
  if (block === undefined || block.lines.length !== 1) return undefined;
  return SOURCE_LINE_RE.exec(block.lines[0]!.text)?.[1];
}

/**
 * A section heading of the plain-text format: a single line between blank lines, under 80 characters and 12 words,
 * starting with a capital letter or digit, not a list item, and not ending with punctuation (. : ; , ! ? …).
 */
export function isPlainTextHeading(block: Block): boolean {
  if (block.lines.length !== 1) return false;
  const line = block.lines[0]!.text;
  const text = line.trim();
  if (text.length === 0 || text.length >= 80 || text.split(/\s+/u).length > 12) return false;
  if (isBulletLine(line) || /^https?:\/\//iu.test(text)) return false;
  if (!/^["'“‘(]?[\p{Lu}\p{N}]/u.test(text)) return false;
  const core = text.replace(/["'”’)\]]+$/u, '');
  if (/[.:;,!?…]$/u.test(core)) return false;
  // Two sentences in one line ("Yes. No") is text, not a heading.
  if (/[.!?]\s+\S/u.test(core)) return false;
  return true;
}

/**
 * Plain encyclopedia text. Layout, top to bottom:
 * - optional source line: a URL alone, or `Source: https://…`;
 * - optional site name: a first line followed by two or more blank lines and then the (heading-like) title;
 * - the title: one line followed by a blank line;
 * - the lead text, then sections: a heading line (see `isPlainTextHeading`) between blank lines, then its paragraphs.
 * Paragraphs are separated by blank lines. "Main article: …" pointer lines and a final licence notice are dropped.
 */
export function parsePlainText(file: string, raw: string): Article {
  const { id, source } = prepare(file, raw);
  const blocks = blocksOf(splitLines(source));
  const lastBlock = blocks[blocks.length - 1];
  if (lastBlock !== undefined && blocks.length > 1 && isLicenceBlock(lastBlock)) blocks.pop();

  let i = 0;
  let sourceUrl: string | undefined;
  const takeSource = (): void => {
    for (let url = sourceLine(blocks[i]); url !== undefined; url = sourceLine(blocks[i])) {
      sourceUrl ??= checkUrl(file, url);
      i++;
    }
  };
  takeSource();
  const first = blocks[i];
  const second = blocks[i + 1];
  if (
    first !== undefined &&
    second !== undefined &&
    first.lines.length === 1 &&
    first.end - first.start <= 100 &&
    !isBulletLine(first.lines[0]!.text) &&
    second.blankBefore >= 2 &&
    isPlainTextHeading(second) &&
    blocks[i + 2] !== undefined
  ) {
    i++; // site name ("The Online Encyclopedia and Dictionary")
    takeSource();
  }
  const titleBlock = blocks[i];
  if (titleBlock === undefined) throw new CorpusError(`${file}: has no title`, 'The first line must be the article title.', file);
  if (titleBlock.lines.length !== 1 || titleBlock.end - titleBlock.start > 200 || isBulletLine(titleBlock.lines[0]!.text)) {
    throw new CorpusError(
      `${file}: has no title`,
      'The first line must be the article title (one short line), followed by a blank line and the text.',
      file,
    );
  }
  const title = source.slice(titleBlock.start, titleBlock.end);
  i++;
  takeSource();

  const raws: RawSection[] = [{ heading: title, path: [], blocks: [] }];
  for (; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (isPlainTextHeading(block)) {
      const heading = source.slice(block.start, block.end);
      raws.push({ heading, path: [heading], blocks: [] });
    } else {
      raws[raws.length - 1]!.blocks.push(block);
    }
  }
  return finish(file, { id, title, sourceUrl, source }, raws);
}

function finish(
  file: string,
  head: { id: string; title: string; sourceUrl: string | undefined; source: string },
  raws: RawSection[],
): Article {
  const sections: Section[] = finishSections(raws, head.source);
  if (sections.every((s) => s.paragraphs.length === 0)) throw noContent(file);
  const article: Article = { id: head.id, title: head.title, file, source: head.source, sections };
  if (head.sourceUrl !== undefined) article.sourceUrl = head.sourceUrl;
  return article;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown (.md)

const ATX_RE = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/u;
const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/u;

type MdItem = { kind: 'heading'; level: number; text: string } | { kind: 'block'; block: Block };

function parseFrontMatter(file: string, lines: Line[]): { fields: Map<string, string>; next: number } {
  const fields = new Map<string, string>();
  if (lines[0]?.text.trim() !== '---') return { fields, next: 0 };
  for (let j = 1; j < lines.length; j++) {
    const text = lines[j]!.text;
    if (text.trim() === '---' || text.trim() === '...') return { fields, next: j + 1 };
    if (isBlank(text) || text.trimStart().startsWith('#')) continue;
    const m = /^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/u.exec(text);
    if (m === null) {
      throw new CorpusError(`${file}: line ${j + 1} of the front matter is not "key: value" (${JSON.stringify(text)})`, 'Is the closing "---" line missing?', file);
    }
    let value = m[2]!;
    if (/^(["']).*\1$/u.test(value) && value.length >= 2) value = value.slice(1, -1);
    fields.set(m[1]!.toLowerCase(), value);
  }
  throw new CorpusError(`${file}: the front matter starting with "---" on line 1 is never closed`, 'Add a "---" line after it.', file);
}

/**
 * Markdown. Optional front matter (`---` / `title: …` / `source: https://…` / `---`). ATX headings (`#` … `######`)
 * open sections; the section path is the chain of enclosing headings (`## A` then `### B` → ["A", "B"]).
 * The title is the front matter `title:`, else a single leading `# Title` line. When the file has exactly one
 * level-1 heading and it comes first, that heading is the title line, not a section (with or without front matter).
 * Paragraphs are separated by blank lines; list blocks stay with their lead-in; fenced code blocks are kept as text.
 */
export function parseMarkdown(file: string, raw: string): Article {
  const { id, source } = prepare(file, raw);
  const lines = splitLines(source);
  const { fields, next } = parseFrontMatter(file, lines);

  const items: MdItem[] = [];
  let current: Line[] = [];
  let blanks = 0;
  let blankBefore = 0;
  let fence: string | undefined;
  const flush = (): void => {
    if (current.length > 0) items.push({ kind: 'block', block: makeBlock(current, blankBefore) });
    current = [];
    blanks = 0;
  };
  for (let j = next; j < lines.length; j++) {
    const line = lines[j]!;
    const fenceMatch = FENCE_RE.exec(line.text);
    if (fence !== undefined) {
      current.push(line);
      if (fenceMatch !== null && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (fenceMatch !== null) {
      if (current.length === 0) blankBefore = blanks;
      current.push(line);
      fence = fenceMatch[1]!;
      continue;
    }
    const heading = ATX_RE.exec(line.text);
    if (heading !== null && heading[2]!.trim() !== '') {
      flush();
      items.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]!.trim() });
      continue;
    }
    if (isBlank(line.text)) {
      flush();
      blanks++;
      continue;
    }
    if (current.length === 0) blankBefore = blanks;
    current.push(line);
  }
  flush();

  const lastItem = items[items.length - 1];
  if (lastItem?.kind === 'block' && isLicenceBlock(lastItem.block)) items.pop();

  let titleFromHeading: string | undefined;
  const firstItem = items[0];
  if (
    firstItem?.kind === 'heading' &&
    firstItem.level === 1 &&
    items.filter((it) => it.kind === 'heading' && it.level === 1).length === 1
  ) {
    titleFromHeading = firstItem.text;
    items.shift();
  }
  const title = fields.get('title') || titleFromHeading;
  if (title === undefined || title === '') {
    throw new CorpusError(
      `${file}: has no title`,
      'Start the file with a "# Title" line, or with front matter:\n---\ntitle: Article title\nsource: https://…\n---',
      file,
    );
  }
  const url = fields.get('source') || fields.get('url');
  const sourceUrl = url ? checkUrl(file, url) : undefined;

  const raws: RawSection[] = [{ heading: title, path: [], blocks: [] }];
  const stack: Array<{ level: number; text: string }> = [];
  for (const item of items) {
    if (item.kind === 'heading') {
      while (stack.length > 0 && stack[stack.length - 1]!.level >= item.level) stack.pop();
      stack.push({ level: item.level, text: item.text });
      raws.push({ heading: item.text, path: stack.map((h) => h.text), blocks: [] });
    } else {
      raws[raws.length - 1]!.blocks.push(item.block);
    }
  }
  return finish(file, { id, title, sourceUrl, source }, raws);
}
