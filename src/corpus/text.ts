import { CorpusError } from './errors.ts';

/**
 * Largest article file accepted, in bytes (1 MiB — several times the longest Wikipedia article as plain text).
 * Bigger files are rejected before they are read, so a stray huge file cannot stall a build.
 */
export const MAX_ARTICLE_BYTES = 1024 * 1024;

/** One line of a source string; `end` excludes the line break (`\n`, `\r\n` or `\r`). */
export interface Line {
  text: string;
  start: number;
  end: number;
}

/** Splits a string into lines, keeping offsets into it. Handles LF, CRLF and lone CR. */
export function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    lines.push({ text: source.slice(start, m.index), start, end: m.index });
    start = m.index + m[0].length;
  }
  lines.push({ text: source.slice(start), start, end: source.length });
  return lines;
}

export function isBlank(text: string): boolean {
  return /^\s*$/u.test(text);
}

/**
 * Decodes the bytes of an article file: rejects binary (NUL bytes) and non-UTF-8 content, strips a UTF-8 BOM.
 * `file` only names the file in error messages.
 */
export function decodeArticle(file: string, bytes: Uint8Array): string {
  if (bytes.byteLength > MAX_ARTICLE_BYTES) throw tooLarge(file, bytes.byteLength);
  if (bytes.indexOf(0) !== -1) {
    throw new CorpusError(
      `${file}: looks like a binary file (it contains NUL bytes)`,
      'Articles must be UTF-8 text (.txt or .md); remove the file from the corpus folder.',
      file,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CorpusError(
      `${file}: is not valid UTF-8`,
      'Re-save it as UTF-8 (for example: iconv -f latin1 -t utf-8 old.txt > new.txt).',
      file,
    );
  }
  return stripBom(text);
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function tooLarge(file: string, bytes: number): CorpusError {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return new CorpusError(
    `${file}: is too large (${mb(bytes)} MB; the limit is ${mb(MAX_ARTICLE_BYTES)} MB per article)`,
    'Split it into several articles.',
    file,
  );
}

/** Article id from a file name: base name without extension, lower-cased, runs of non-letters/digits → "-". */
export function slugFromFile(file: string): string {
  const base = file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return base
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}
