import { createHash } from 'node:crypto';
import type { Article } from '../corpus/types.ts';
import type { Chunk } from './types.ts';
import { splitSentences } from '../text/sentences.ts';
import { BUILD_TUNING } from '../config/tuning.ts';

/** Default upper bound on chunk length, in characters (a single longer sentence still makes one chunk). */
export const DEFAULT_MAX_CHARS = BUILD_TUNING.chunkMaxChars;

export interface ChunkOptions {
  /** A paragraph longer than this is split at sentence boundaries into balanced pieces. Default DEFAULT_MAX_CHARS. */
  maxChars?: number;
}

/** Stable chunk id: first 16 hex chars of sha256(articleId \0 section path joined by " › " \0 text). */
export function chunkId(articleId: string, sectionPath: string[], text: string): string {
  return createHash('sha256').update(`${articleId}\u0000${sectionPath.join(' › ')}\u0000${text}`).digest('hex').slice(0, 16);
}

/**
 * Splits an article into chunks: whole sentences of one paragraph, never crossing a paragraph or section. A paragraph
 * that fits in `maxChars` is one chunk; a longer one is split at sentence boundaries into pieces of balanced size.
 * Chunk text is the exact source slice from its first sentence start to its last sentence end.
 */
export function chunkArticle(article: Article, options: ChunkOptions = {}): Chunk[] {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (!Number.isFinite(maxChars) || maxChars < 1) throw new RangeError(`maxChars must be a positive number, got ${maxChars}`);
  const chunks: Chunk[] = [];
  const seen = new Map<string, number>();
  article.sections.forEach((section, sectionIndex) => {
    section.paragraphs.forEach((paragraph, p) => {
      const sentences = splitSentences(paragraph.text).map(
        ([a, b]): [number, number] => [paragraph.start + a, paragraph.start + b],
      );
      for (const group of groupSentences(sentences, maxChars)) {
        const start = group[0]![0];
        const end = group[group.length - 1]![1];
        const text = article.source.slice(start, end);
        let id = chunkId(article.id, section.path, text);
        // Identical text twice in one section: later copies get an occurrence number, so ids stay unique.
        const n = (seen.get(id) ?? 0) + 1;
        seen.set(id, n);
        if (n > 1) id = chunkId(article.id, section.path, `${text}\u0000${n}`);
        chunks.push({
          id,
          articleId: article.id,
          articleTitle: article.title,
          sectionPath: section.path,
          sectionIndex,
          paragraph: p + 1,
          order: chunks.length,
          text,
          start,
          end,
          sentences: group.map(([a, b]): [number, number] => [a - start, b - start]),
          isReference: section.isReference,
        });
      }
    });
  });
  return chunks;
}

/**
 * Groups consecutive sentences (absolute [start, end) offsets) into pieces whose span is ≤ maxChars, of roughly
 * equal size: the piece count is the smallest possible, and each piece aims at the remaining length / pieces left.
 */
export function groupSentences(sentences: Array<[number, number]>, maxChars: number): Array<Array<[number, number]>> {
  const groups: Array<Array<[number, number]>> = [];
  let i = 0;
  while (i < sentences.length) {
    const start = sentences[i]![0];
    const total = sentences[sentences.length - 1]![1] - start;
    if (total <= maxChars) {
      groups.push(sentences.slice(i));
      break;
    }
    const target = total / minPieces(sentences, i, maxChars);
    let j = i + 1; // exclusive end of the piece
    while (j < sentences.length) {
      const withNext = sentences[j]![1] - start;
      if (withNext > maxChars) break;
      const current = sentences[j - 1]![1] - start;
      if (current >= target || Math.abs(withNext - target) > Math.abs(current - target)) break;
      j++;
    }
    groups.push(sentences.slice(i, j));
    i = j;
  }
  return groups;
}

/** Fewest pieces ≤ maxChars that sentences[from..] can be packed into (greedy packing is optimal here). */
function minPieces(sentences: Array<[number, number]>, from: number, maxChars: number): number {
  let pieces = 0;
  let i = from;
  while (i < sentences.length) {
    const start = sentences[i]![0];
    let j = i + 1;
    while (j < sentences.length && sentences[j]![1] - start <= maxChars) j++;
    pieces++;
    i = j;
  }
  return pieces;
}

/** What gets embedded for a chunk: "Article title › Section › Sub-section" then a blank line and the verbatim text. */
export function embeddingText(chunk: Chunk): string {
  return `${[chunk.articleTitle, ...chunk.sectionPath].join(' › ')}\n\n${chunk.text}`;
}
