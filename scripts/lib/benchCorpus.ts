import fs from 'node:fs/promises';
import path from 'node:path';
import { mixSeed, mulberry32, pick, randomInt } from './benchStats.ts';

/**
 * Deterministic synthetic corpora for the scale benchmark: the seed article's sentences recombined into many
 * plain-text articles, written in the same layout as corpus/great-purge.txt (site line, blank lines, title,
 * blank line, then paragraphs and section headings separated by blank lines). Article i depends only on
 * (seed, i), so a corpus of N articles is a prefix of a corpus of N + 1 articles.
 */

export const SITE_LINE = 'The Online Encyclopedia and Dictionary';
/** Headings of the seed's reference lists: their bodies are bullet lists, so they are not reused. */
const REFERENCE_HEADING = /reading|references|external links|bibliography|see also/i;

export interface SentencePool {
  sentences: string[];
  headings: string[];
  /** Capitalised words of the seed, for titles. */
  titleWords: string[];
}

/** Splits the seed article into sentences and headings (a rough splitter is enough: this is raw material). */
export function sentencePool(source: string): SentencePool {
  const blocks = source
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  // blocks[0] is the site line, blocks[1] the title.
  const body = blocks.slice(2);
  const headings: string[] = [];
  const sentences: string[] = [];
  for (const block of body) {
    const isHeading = !block.includes('\n') && block.length < 80 && !/[.!?:;,"”)]$/.test(block);
    if (isHeading) {
      if (!REFERENCE_HEADING.test(block)) headings.push(block);
      continue;
    }
    for (const line of block.split('\n')) {
      const text = line.trim();
      if (text.length < 80 || /^[•*-]/.test(text)) continue;
      for (const sentence of text.split(/(?<=[.!?]["”)]?)\s+(?=["“(]?[A-Z0-9])/)) {
        const s = sentence.trim();
        if (s.length >= 30 && /[.!?]["”)]?$/.test(s)) sentences.push(s);
      }
    }
  }
  const titleWords = [...new Set(source.match(/\b[A-Z][a-z]{3,}\b/g) ?? [])].sort();
  if (sentences.length < 20 || headings.length < 3) throw new Error('The seed article is too small to generate a synthetic corpus from.');
  return { sentences, headings, titleWords };
}

/** Text of synthetic article i. Titles are unique (they end with the article number). */
export function syntheticArticle(pool: SentencePool, seed: number, i: number): { file: string; title: string; text: string; paragraphLengths: number[] } {
  const rng = mulberry32(mixSeed(seed, i));
  const title = `${pick(rng, pool.titleWords)} ${pick(rng, pool.titleWords)} ${i + 1}`;
  const paragraph = () => {
    const count = randomInt(rng, 2, 5);
    return Array.from({ length: count }, () => pick(rng, pool.sentences)).join(' ');
  };
  const blocks: string[] = [];
  const paragraphLengths: number[] = [];
  const addParagraph = () => {
    const text = paragraph();
    blocks.push(text);
    paragraphLengths.push(text.length);
  };
  for (let p = randomInt(rng, 1, 3); p > 0; p--) addParagraph();
  const headings = [...pool.headings];
  for (let s = randomInt(rng, 3, Math.min(8, headings.length)); s > 0; s--) {
    // Without replacement, so headings are unique within an article.
    const heading = headings.splice(Math.floor(rng() * headings.length), 1)[0]!;
    blocks.push(heading);
    for (let p = randomInt(rng, 1, 4); p > 0; p--) addParagraph();
  }
  const text = `${SITE_LINE}\n\n\n\n\n\n${title}\n\n${blocks.join('\n\n')}\n`;
  return { file: `synthetic-${String(i + 1).padStart(6, '0')}.txt`, title, text, paragraphLengths };
}

export async function writeArticles(dir: string, pool: SentencePool, seed: number, count: number): Promise<number> {
  await fs.mkdir(dir, { recursive: true });
  let bytes = 0;
  const batch = 64;
  for (let start = 0; start < count; start += batch) {
    const articles = Array.from({ length: Math.min(batch, count - start) }, (_, k) => syntheticArticle(pool, seed, start + k));
    await Promise.all(articles.map((a) => fs.writeFile(path.join(dir, a.file), a.text)));
    bytes += articles.reduce((n, a) => n + Buffer.byteLength(a.text), 0);
  }
  return bytes;
}

/** A cheap stand-in for the chunker's count: paragraphs, split at about 700 characters. */
function proxyChunks(article: { paragraphLengths: number[] }): number {
  return article.paragraphLengths.reduce((n, length) => n + Math.ceil(length / 700), 0);
}

/**
 * Writes a corpus of about `targetChunks` chunks into `dir`. The real chunker (`countChunks`) is run on a sample
 * only; its ratio to a cheap per-article estimate calibrates that estimate, which then decides how many
 * articles to write (within about 1% of the target, without chunking the whole corpus twice).
 */
export async function writeSyntheticCorpus(
  dir: string,
  seedSource: string,
  targetChunks: number,
  countChunks: (dir: string) => Promise<number>,
  seed = 20240607,
): Promise<{ articles: number; bytes: number; sampleChunksPerArticle: number }> {
  const pool = sentencePool(seedSource);
  const sampleDir = `${dir}-sample`;
  const sampleSize = 60;
  await writeArticles(sampleDir, pool, seed, sampleSize);
  const sampleChunks = await countChunks(sampleDir);
  await fs.rm(sampleDir, { recursive: true, force: true });
  let sampleProxy = 0;
  for (let i = 0; i < sampleSize; i++) sampleProxy += proxyChunks(syntheticArticle(pool, seed, i));
  const factor = sampleChunks / sampleProxy;
  let articles = 0;
  for (let estimate = 0; estimate < targetChunks; articles++) estimate += proxyChunks(syntheticArticle(pool, seed, articles)) * factor;
  const bytes = await writeArticles(dir, pool, seed, Math.max(1, articles));
  return { articles, bytes, sampleChunksPerArticle: Math.round((sampleChunks / sampleSize) * 100) / 100 };
}

/**
 * About `count` search queries: the evaluation questions first, then fragments (4–12 consecutive words) of
 * seed sentences, chosen by a seeded PRNG.
 */
export function benchQueries(questions: string[], pool: SentencePool, count: number, seed = 7): string[] {
  const queries = questions.slice(0, count);
  const rng = mulberry32(seed);
  while (queries.length < count) {
    const words = pick(rng, pool.sentences).split(/\s+/);
    const length = Math.min(words.length, randomInt(rng, 4, 12));
    const start = randomInt(rng, 0, words.length - length);
    queries.push(words.slice(start, start + length).join(' '));
  }
  return queries;
}
