import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BertTokenizer } from '@xenova/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddingText } from '../src/chunks/chunkArticle.ts';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import { BUNDLED_MODEL_NAME, defaultModelsDir } from '../src/embeddings/modelFiles.ts';
import type { Embedder } from '../src/embeddings/types.ts';
import { encodeBatch, fromTokenizerJson, type WholeWordTokenizer } from '../src/embeddings/wholeWordTokenizer.ts';
import { corpusChunks } from '../src/chunks/chunkCorpus.ts';

const modelDir = path.join(defaultModelsDir(), BUNDLED_MODEL_NAME);
const readJson = (file: string) => JSON.parse(readFileSync(path.join(modelDir, file), 'utf8'));
const seedSource = readFileSync(path.join(PROJECT_ROOT, 'corpus/great-purge.txt'), 'utf8');

/** Strings where a hand-written tokenizer is most likely to part ways with transformers.js'. */
const TRICKY = [
  // punctuation
  'Stalin’s “Great Terror” — (1936–38)… did it end? Yes!; no: maybe.',
  'e.g., U.S.S.R. a--b #hashtag @user 50% $5 &amp; <b>bold</b> back\\slash «quoted» ¿qué? ¡sí!',
  '...', '', '   \n\t  ', '\r\n\r\n',
  // unicode: accents, other scripts, CJK, emoji, ligatures, special casing
  'Café naïve Ångström résumé Dvořák Łódź Ærø', 'Москва Ежов НКВД', '北京 東京 大清洗 한국어 ひらがな カタカナ',
  '𝒳 𠀀 emoji 😀 👩‍👩‍👧 flags 🇷🇺', 'ﬁnance ﬂow', 'İstanbul ISTANBUL straße STRASSE ß', 'Σίσυφος ΣΊΣΥΦΟΣ',
  'Arabic العربية and Hebrew עברית', 'decomposed cafe\u0301 vs composed caf\u00e9',
  // invisible and control characters
  'zero\u200Bwidth', 'byte\uFEFForder', 'no\u00A0break', 'next\u0085line', 'para\u2029sep', 'lone \uD800 surrogate \uDC00',
  'nul\u0000char', 'replace\uFFFDment', 'private\uE000use', 'bell\u0007 escape\u001B[0m delete\u007F', 'soft\u00ADhyphen',
  // numbers
  '1937 1,000,000 3.14 12th 1930s 1937–1938 ½ ² ٣ ١٩٣٧ Ⅻ',
  // unknown words, over-long words
  'Yezhovshchina Piatakov Sokolnikov xqzvbnmlk', 'a'.repeat(100), 'a'.repeat(101), 'é'.repeat(101), '𝒳'.repeat(60), `${'b'.repeat(150)} ok`,
  // casing
  'THE GREAT PURGE the great purge The Great Purge', 'NKVD nkvd Nkvd nKvD',
  // the added tokens, written in the text
  '[UNK] [PAD] foo[PAD]bar [pad] [CLS] [SEP] [[UNK]]',
  // truncation: longer than the model's 8,192 tokens, and around that length
  seedSource.repeat(3), 'the '.repeat(8191), 'the '.repeat(8192), 'the '.repeat(8193),
];

describe('plain-lookup tokenizer of the bundled model', () => {
  let tokenizer: WholeWordTokenizer;
  let generic: BertTokenizer;
  let seedTexts: string[];

  beforeAll(async () => {
    tokenizer = fromTokenizerJson(readJson('tokenizer.json'), readJson('tokenizer_config.json'))!;
    generic = new BertTokenizer(readJson('tokenizer.json'), readJson('tokenizer_config.json'));
    const chunks = await corpusChunks(path.join(PROJECT_ROOT, 'corpus'));
    // What the build embeds (heading path + chunk), the bare chunks, and the article's sentences one by one.
    seedTexts = [...chunks.map((c) => embeddingText(c)), ...chunks.map((c) => c.text), ...seedSource.split(/(?<=[.!?])\s+/)];
  });

  it('accepts the bundled tokenizer', () => {
    expect(tokenizer).not.toBeNull();
    expect(tokenizer.maxLength).toBe(8192);
  });

  it('gives the same ids and mask as transformers.js for the seed article and tricky strings', () => {
    const texts = [...seedTexts, ...TRICKY];
    expect(seedTexts.length).toBeGreaterThan(200);
    // One text at a time (no padding), then in batches that mix long and short texts (padding and truncation).
    for (const text of texts) {
      const expected = generic(text, { truncation: true });
      const { ids, mask } = encodeBatch(tokenizer, [text]);
      expect(Array.from(ids), JSON.stringify(text.slice(0, 80))).toEqual(Array.from(expected.input_ids.data as BigInt64Array));
      expect(Array.from(mask)).toEqual(Array.from(expected.attention_mask.data as BigInt64Array));
    }
    for (let start = 0; start < TRICKY.length; start += 7) {
      const batch = [...TRICKY.slice(start, start + 7), seedTexts[start]!];
      const expected = generic(batch, { padding: true, truncation: true });
      const { ids, mask, dims } = encodeBatch(tokenizer, batch);
      expect(dims).toEqual(expected.input_ids.dims);
      expect(Array.from(ids)).toEqual(Array.from(expected.input_ids.data as BigInt64Array));
      expect(Array.from(mask)).toEqual(Array.from(expected.attention_mask.data as BigInt64Array));
    }
  });

  it('maps every vocabulary word, in any case, to the same id as transformers.js', () => {
    const words = Object.keys(readJson('tokenizer.json').model.vocab as Record<string, number>);
    // Every 7th word keeps the test short; upper case must normalise back to the same word.
    const sample = words.filter((_, i) => i % 7 === 0).flatMap((w) => [w, w.toUpperCase()]);
    for (let start = 0; start < sample.length; start += 500) {
      const text = sample.slice(start, start + 500).join(' ');
      expect(Array.from(encodeBatch(tokenizer, [text]).ids)).toEqual(Array.from(generic(text).input_ids.data as BigInt64Array));
    }
  });

  it('follows transformers.js on rules the bundled vocabulary never exercises', () => {
    // An added token that is a word with its own id (lower case, so "Yezhov" normalises to it), a vocabulary
    // word longer than WordPiece's 100 characters, and a word that is not in the vocabulary but is the name of an
    // object's own method ("constructor").
    const json = readJson('tokenizer.json');
    const config = readJson('tokenizer_config.json');
    const longWord = 'z'.repeat(101);
    json.added_tokens.push({ id: 5, content: 'yezhov', single_word: false, lstrip: false, rstrip: false, normalized: false, special: false });
    json.model.vocab[longWord] = 50062;
    delete json.model.vocab['constructor'];
    const variant = fromTokenizerJson(json, config)!;
    const variantGeneric = new BertTokenizer(json, config);
    for (const text of ['Yezhov and yezhov and YEZHOV, Yezhovshchina.', `${longWord} z`, '[UNK] Yezhov[PAD]Beria yezhov[UNK]', 'The constructor of the Constructor']) {
      expect(Array.from(encodeBatch(variant, [text]).ids), text).toEqual(Array.from(variantGeneric(text).input_ids.data as BigInt64Array));
    }
  });

  it('refuses tokenizers it does not reproduce, so they go through transformers.js', () => {
    const json = readJson('tokenizer.json');
    const config = readJson('tokenizer_config.json');
    const withPieces = { ...json, model: { ...json.model, vocab: { ...json.model.vocab, '##ing': 50062 } } };
    expect(fromTokenizerJson(withPieces, config)).toBeNull();
    expect(fromTokenizerJson({ ...json, normalizer: { ...json.normalizer, lowercase: false } }, config)).toBeNull();
    expect(fromTokenizerJson({ ...json, pre_tokenizer: { type: 'Whitespace' } }, config)).toBeNull();
    expect(fromTokenizerJson({ ...json, post_processor: { type: 'BertProcessing' } }, config)).toBeNull();
    expect(fromTokenizerJson({ ...json, model: { ...json.model, type: 'BPE' } }, config)).toBeNull();
    expect(fromTokenizerJson(json, { ...config, padding_side: 'left' })).toBeNull();
  });
});

describe('bundled embedder: plain lookup against the generic tokenizer', () => {
  let plain: Embedder;
  let generic: Embedder;

  beforeAll(async () => {
    plain = await loadEmbedder('bundled');
    generic = await loadEmbedder('bundled', { genericTokenizer: true });
  });

  /** Bit for bit: the same float32 values, not merely close ones. */
  function expectIdentical(a: Float32Array[], b: Float32Array[], texts: string[]) {
    expect(a).toHaveLength(b.length);
    a.forEach((vector, i) => {
      const same = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).equals(Buffer.from(b[i]!.buffer, b[i]!.byteOffset, b[i]!.byteLength));
      expect(same, `vector ${i} differs: ${JSON.stringify(texts[i]!.slice(0, 80))}`).toBe(true);
    });
  }

  it('embeds the seed article chunks and tricky strings to identical vectors', async () => {
    const chunks = await corpusChunks(path.join(PROJECT_ROOT, 'corpus'));
    const texts = [...chunks.map((c) => embeddingText(c)), ...TRICKY];
    expectIdentical(await plain.embedPassages(texts), await generic.embedPassages(texts), texts);
    const queries = TRICKY.slice(0, 20);
    expectIdentical(
      await Promise.all(queries.map((q) => plain.embedQuery(q))),
      await Promise.all(queries.map((q) => generic.embedQuery(q))),
      queries,
    );
  });

  it('is the same model to the index (same id, dimensions and model hash)', () => {
    expect({ id: plain.modelId, dims: plain.dimensions, hash: plain.modelHash }).toEqual({ id: generic.modelId, dims: generic.dimensions, hash: generic.modelHash });
  });
});
