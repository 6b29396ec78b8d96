import fs from 'node:fs/promises';
import path from 'node:path';
import { isStopword, tokenize } from '../../src/text/tokens.ts';
import { mixSeed, mulberry32, pick, randomInt } from './benchStats.ts';

/**
 * Deterministic synthetic corpora for the scale benchmark: the seed article's sentences recombined into many
 * plain-text articles, written in the same layout as corpus/great-purge.txt (site line, blank lines, title,
 * blank line, then paragraphs and section headings separated by blank lines). Article i depends only on
 * (seed, i), so a corpus of N articles is a prefix of a corpus of N + 1 articles.
 *
 * The vocabulary grows with the corpus as in real text (Heaps' law: distinct words ≈ K·n^β, β ≈ 0.5), not
 * capped at the seed's ~1,000 words: about half of the content words of each sentence are swapped for a word
 * drawn from an endless lexicon whose head is the seed's own content words and whose tail is seeded
 * morphological variants of them ("yezhov" → "yezhovan", "yezhovar", …, "yezhovakan", …). Ranks are drawn from a heavy-tailed
 * (Lomax, tail index 1) distribution, so the word frequencies follow Zipf's law with exponent 2 and the number
 * of distinct words grows as the square root of the text. Sentence shapes (length, punctuation, capitals,
 * function words) are the seed's, so chunking and sentence splitting behave as on encyclopedia text.
 */

export const SITE_LINE = 'The Online Encyclopedia and Dictionary';
/** Headings of the seed's reference lists: their bodies are bullet lists, so they are not reused. */
const REFERENCE_HEADING = /reading|references|external links|bibliography|see also/i;

/** Chunk counts the scale benchmark measures by default, and the one it adds with --huge (not in CI). */
export const SCALE_SIZES = [1_000, 10_000, 100_000] as const;
export const HUGE_SIZE = 1_000_000;

/** Share of a sentence's content words swapped for a drawn word. */
const SWAP_SHARE = 0.5;
/**
 * Scale of the rank distribution: the higher, the flatter its head and the more distinct words at every size.
 * Chosen so the vocabulary sits where English text of that length has it (Heaps K ≈ 10–50, β ≈ 0.5): about
 * 10,000 distinct words at 1,000 chunks and 130,000 at 100,000 (see `npx tsx scripts/bench-corpus.ts`).
 */
const RANK_SCALE = 3_000;
/** Two-letter endings: fixed width, so every variant number spells a different word. */
const ENDINGS = ['ak', 'an', 'ar', 'ek', 'el', 'en', 'er', 'ev', 'ia', 'ic', 'ik', 'in', 'is', 'ka', 'ko', 'ov', 'sk', 'ta', 'us', 'yn'];
/**
 * A word the swap may replace: four or more letters standing alone. Parts of hyphenated or apostrophe compounds
 * ("show-trial", "Stalin's") stay: the tokenizer keeps a compound as one word, and swapping its parts
 * independently would multiply the vocabulary far faster than real text grows it.
 */
const CONTENT_WORD = /(?<![\p{L}'’-])\p{L}{4,}(?![\p{L}'’-])/gu;

export interface SentencePool {
  sentences: string[];
  headings: string[];
  /** Capitalised words of the seed, for titles. */
  titleWords: string[];
  /** The seed's content words (lower case, no stopwords), most frequent first: the head of the drawn lexicon. */
  contentWords: string[];
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
  return { sentences, headings, titleWords, contentWords: contentWordsByFrequency(sentences) };
}

function contentWordsByFrequency(sentences: string[]): string[] {
  const counts = new Map<string, number>();
  for (const sentence of sentences) {
    for (const [word] of sentence.matchAll(CONTENT_WORD)) {
      const lower = word.toLowerCase();
      if (!isStopword(lower)) counts.set(lower, (counts.get(lower) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([word]) => word);
}

/**
 * Word `rank` of the endless lexicon: the seed's content words first, then variant v = 1, 2, … of each of them,
 * spelled as the seed word followed by v's digits in base 20, one ending per digit.
 */
export function lexiconWord(pool: SentencePool, rank: number): string {
  const words = pool.contentWords;
  if (rank < words.length) return words[rank]!;
  const k = rank - words.length;
  let variant = Math.floor(k / words.length) + 1;
  let word = words[k % words.length]!;
  for (; variant > 0; variant = Math.floor(variant / ENDINGS.length)) word += ENDINGS[variant % ENDINGS.length];
  return word;
}

/** The sentence with about half its content words swapped for words drawn from the lexicon, in the same case. */
function varySentence(pool: SentencePool, rng: () => number, sentence: string): string {
  return sentence.replace(CONTENT_WORD, (word) => {
    if (rng() >= SWAP_SHARE || isStopword(word.toLowerCase())) return word;
    // Lomax with tail index 1: P(rank ≥ r) = RANK_SCALE / (r + RANK_SCALE).
    const rank = Math.floor(RANK_SCALE * (1 / (1 - rng()) - 1));
    const drawn = lexiconWord(pool, rank);
    if (word === word.toUpperCase()) return drawn.toUpperCase();
    return word[0] === word[0]!.toUpperCase() ? drawn[0]!.toUpperCase() + drawn.slice(1) : drawn;
  });
}

/** Text of synthetic article i. Titles are unique (they end with the article number). */
export function syntheticArticle(pool: SentencePool, seed: number, i: number): { file: string; title: string; text: string; paragraphLengths: number[] } {
  const rng = mulberry32(mixSeed(seed, i));
  const title = `${pick(rng, pool.titleWords)} ${pick(rng, pool.titleWords)} ${i + 1}`;
  const paragraph = () => {
    const count = randomInt(rng, 2, 5);
    return Array.from({ length: count }, () => varySentence(pool, rng, pick(rng, pool.sentences))).join(' ');
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

/** Distinct words (as the project's tokenizer splits them) against words written, at every doubling of the text. */
export interface VocabularyGrowth {
  tokens: number;
  distinct: number;
  /** (tokens, distinct) after 1, 2, 4, … articles and at the end. */
  curve: Array<{ tokens: number; distinct: number }>;
}

/** Counts distinct words as articles are written; it keeps the words (a few hundred thousand at most), not the text. */
class VocabularyCounter {
  private readonly words = new Set<string>();
  private tokens = 0;
  private articles = 0;
  private readonly curve: VocabularyGrowth['curve'] = [];

  add(text: string): void {
    const words = tokenize(text);
    for (const word of words) {
      // A copy: the token is a slice of the article's text and would keep all of it in memory.
      if (!this.words.has(word)) this.words.add(Buffer.from(word).toString());
    }
    this.tokens += words.length;
    this.articles++;
    if ((this.articles & (this.articles - 1)) === 0) this.curve.push({ tokens: this.tokens, distinct: this.words.size });
  }

  result(): VocabularyGrowth {
    const last = this.curve.at(-1);
    if (last?.tokens !== this.tokens) this.curve.push({ tokens: this.tokens, distinct: this.words.size });
    return { tokens: this.tokens, distinct: this.words.size, curve: this.curve };
  }
}

/** Heaps' law fitted to (tokens, distinct) points by least squares on their logarithms: distinct ≈ k·tokens^beta. */
export function fitHeaps(points: ReadonlyArray<{ tokens: number; distinct: number }>): { k: number; beta: number } {
  const xs = points.map((p) => Math.log(p.tokens));
  const ys = points.map((p) => Math.log(p.distinct));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(xs), mean(ys)];
  const beta = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0) / xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return { k: Math.exp(my - beta * mx), beta };
}

/**
 * Writes articles 0, 1, 2, … into `dir` until `enough(estimatedChunksSoFar)` says stop (at least one article).
 * Articles are written as they are generated, a few at a time: memory does not grow with the corpus.
 */
async function writeArticlesUntil(
  dir: string,
  pool: SentencePool,
  seed: number,
  chunksOf: (article: { paragraphLengths: number[] }) => number,
  enough: (chunks: number) => boolean,
  counter?: VocabularyCounter,
): Promise<{ articles: number; bytes: number }> {
  await fs.mkdir(dir, { recursive: true });
  let articles = 0;
  let bytes = 0;
  let chunks = 0;
  const batch = 64;
  while (articles === 0 || !enough(chunks)) {
    const written: Array<Promise<void>> = [];
    for (let k = 0; k < batch && (articles === 0 || !enough(chunks)); k++, articles++) {
      const article = syntheticArticle(pool, seed, articles);
      counter?.add(article.text);
      chunks += chunksOf(article);
      bytes += Buffer.byteLength(article.text);
      written.push(fs.writeFile(path.join(dir, article.file), article.text));
    }
    await Promise.all(written);
  }
  return { articles, bytes };
}

export async function writeArticles(dir: string, pool: SentencePool, seed: number, count: number): Promise<number> {
  return (await writeArticlesUntil(dir, pool, seed, () => 1, (written) => written >= count)).bytes;
}

/** A cheap stand-in for the chunker's count: paragraphs, split at about 700 characters. */
function proxyChunks(article: { paragraphLengths: number[] }): number {
  return article.paragraphLengths.reduce((n, length) => n + Math.ceil(length / 700), 0);
}

/**
 * Writes a corpus of about `targetChunks` chunks into `dir`. The real chunker (`countChunks`) is run on a sample
 * only; its ratio to a cheap per-article estimate calibrates that estimate, which then decides when to stop
 * writing (within about 1% of the target, without chunking the whole corpus). Also counts the corpus's
 * distinct words as it goes (`vocabulary`).
 */
export async function writeSyntheticCorpus(
  dir: string,
  seedSource: string,
  targetChunks: number,
  countChunks: (dir: string) => Promise<number>,
  seed = 20240607,
): Promise<{ articles: number; bytes: number; sampleChunksPerArticle: number; vocabulary: VocabularyGrowth }> {
  const pool = sentencePool(seedSource);
  const sampleDir = `${dir}-sample`;
  const sampleSize = 60;
  await writeArticles(sampleDir, pool, seed, sampleSize);
  const sampleChunks = await countChunks(sampleDir);
  await fs.rm(sampleDir, { recursive: true, force: true });
  let sampleProxy = 0;
  for (let i = 0; i < sampleSize; i++) sampleProxy += proxyChunks(syntheticArticle(pool, seed, i));
  const factor = sampleChunks / sampleProxy;
  const counter = new VocabularyCounter();
  const { articles, bytes } = await writeArticlesUntil(dir, pool, seed, (a) => proxyChunks(a) * factor, (chunks) => chunks >= targetChunks, counter);
  return { articles, bytes, sampleChunksPerArticle: Math.round((sampleChunks / sampleSize) * 100) / 100, vocabulary: counter.result() };
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
