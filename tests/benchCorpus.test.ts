import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { corpusChunks } from '../src/chunks/chunkCorpus.ts';
import { splitSentences } from '../src/text/sentences.ts';
import { tokenize } from '../src/text/tokens.ts';
import { fitHeaps, lexiconWord, sentencePool, syntheticArticle, writeSyntheticCorpus } from '../scripts/lib/benchCorpus.ts';
import { makeTempDir, removeDir } from './helpers/tempProject.ts';

const seedSource = readFileSync(path.join(PROJECT_ROOT, 'corpus/great-purge.txt'), 'utf8');
const pool = sentencePool(seedSource);
const SEED = 20240607;

/** Distinct words in the first `articles` synthetic articles. */
function distinctWords(articles: number): { tokens: number; distinct: number } {
  const words = new Set<string>();
  let tokens = 0;
  for (let i = 0; i < articles; i++) {
    const found = tokenize(syntheticArticle(pool, SEED, i).text);
    tokens += found.length;
    for (const word of found) words.add(word);
  }
  return { tokens, distinct: words.size };
}

describe('synthetic bench corpus', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map(removeDir)));

  it('is deterministic: article i depends only on the seed and i', () => {
    expect(syntheticArticle(pool, SEED, 123)).toEqual(syntheticArticle(pool, SEED, 123));
    expect(syntheticArticle(pool, SEED, 123).text).not.toBe(syntheticArticle(pool, SEED, 124).text);
    expect(syntheticArticle(pool, SEED + 1, 123).text).not.toBe(syntheticArticle(pool, SEED, 123).text);
  });

  it('grows its vocabulary with its size as real text does (Heaps exponent about 0.5), far past the seed', () => {
    const seedWords = new Set(tokenize(seedSource)).size;
    const small = distinctWords(40);
    const large = distinctWords(400);
    expect(small.distinct).toBeGreaterThan(seedWords * 5);
    const { beta } = fitHeaps([small, large]);
    expect(beta).toBeGreaterThan(0.4);
    expect(beta).toBeLessThan(0.65);
  });

  it('keeps the seed sentences’ shapes: punctuation, numbers and function words stay, sentences still split the same', () => {
    const skeleton = (text: string) => text.replace(/\p{L}+/gu, 'w');
    const article = syntheticArticle(pool, SEED, 7).text;
    const seedSkeletons = new Set(pool.sentences.map(skeleton));
    const paragraphs = article.split('\n\n').filter((b) => b.length > 200).join(' ');
    const sentences = splitSentences(paragraphs).map(([start, end]) => paragraphs.slice(start, end).trim());
    expect(sentences.length).toBeGreaterThan(5);
    // Swapping a word for a word keeps the pattern of non-letters: each sentence is some seed sentence's pattern.
    const matching = sentences.filter((s) => seedSkeletons.has(skeleton(s)));
    expect(matching.length / sentences.length).toBeGreaterThan(0.8);
    expect(article).toMatch(/\b(the|of|and)\b/);
  });

  it('draws words from the seed first, then from variants of them that are all spelled differently', () => {
    expect(lexiconWord(pool, 0)).toBe(pool.contentWords[0]);
    const variants = Array.from({ length: 100_000 }, (_, r) => lexiconWord(pool, pool.contentWords.length + r));
    expect(new Set(variants).size / variants.length).toBeGreaterThan(0.99);
    for (const word of variants.slice(0, 1000)) expect(word).toMatch(/^\p{L}+$/u);
    expect(variants[0]!.startsWith(pool.contentWords[0]!)).toBe(true);
  });

  it('writes about the chunks asked for, and counts its vocabulary as it goes', async () => {
    const root = await makeTempDir('synthetic');
    dirs.push(root);
    const dir = path.join(root, 'corpus');
    const countChunks = async (d: string) => (await corpusChunks(d)).length;
    const written = await writeSyntheticCorpus(dir, seedSource, 1_000, countChunks);
    const chunks = await countChunks(dir);
    expect(chunks).toBeGreaterThan(950);
    expect(chunks).toBeLessThan(1_050);
    expect((await fs.readdir(dir)).length).toBe(written.articles);
    const { vocabulary } = written;
    expect(vocabulary.distinct).toBe(distinctWords(written.articles).distinct);
    expect(vocabulary.curve.at(-1)).toEqual({ tokens: vocabulary.tokens, distinct: vocabulary.distinct });
    for (let i = 1; i < vocabulary.curve.length; i++) expect(vocabulary.curve[i]!.distinct).toBeGreaterThan(vocabulary.curve[i - 1]!.distinct);
  });

  it('fits Heaps’ law exactly on power-law points', () => {
    const points = [1e3, 1e4, 1e5, 1e6].map((tokens) => ({ tokens, distinct: 30 * tokens ** 0.5 }));
    const fit = fitHeaps(points);
    expect(fit.beta).toBeCloseTo(0.5, 10);
    expect(fit.k).toBeCloseTo(30, 8);
  });
});
