import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env } from '@xenova/transformers';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import { BUNDLED_MODEL_NAME, defaultModelsDir } from '../src/embeddings/modelFiles.ts';
import { profileFor } from '../src/embeddings/modelProfiles.ts';
import { poolAndNormalize } from '../src/embeddings/pooling.ts';
import type { Embedder } from '../src/embeddings/types.ts';
import { cosine, dot } from '../src/embeddings/vectors.ts';

const norm = (v: Float32Array): number => Math.sqrt(dot(v, v));

describe('bundled embedding model', () => {
  let embedder: Embedder;
  let fetchCalls = 0;

  beforeAll(async () => {
    // Any network access during the bundled load would go through fetch (local files are read with fs).
    const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(() => {
      fetchCalls++;
      return Promise.reject(new Error('network used'));
    });
    try {
      embedder = await loadEmbedder('bundled', {});
    } finally {
      spy.mockRestore();
    }
  });

  it('loads without touching the network', () => {
    expect(fetchCalls).toBe(0);
    expect(embedder.modelId).toBe('bundled');
    expect(embedder.dimensions).toBe(100);
    expect(embedder.modelHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns unit vectors of the model dimension', async () => {
    const [a, b] = await embedder.embedPassages(['The NKVD arrested the old Bolsheviks.', 'Stalin']);
    const q = await embedder.embedQuery('Who was arrested?');
    for (const v of [a!, b!, q]) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(100);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it('ranks a related sentence above an unrelated one', async () => {
    const q = await embedder.embedQuery('Who led the secret police?');
    const [related, unrelated] = await embedder.embedPassages(['Yezhov headed the NKVD', 'The recipe needs two eggs']);
    expect(dot(q, related!)).toBeGreaterThan(dot(q, unrelated!) + 0.2);
  });

  it('covers the names of the corpus', async () => {
    const q = await embedder.embedQuery('Tukhachevsky');
    const [hit, miss] = await embedder.embedPassages(['Marshal Tukhachevsky was shot', 'Kamenev was shot']);
    expect(dot(q, hit!)).toBeGreaterThan(dot(q, miss!));
  });

  it('is deterministic and independent of batching', async () => {
    const text = 'Zinoviev and Kamenev were sentenced to death in August 1936.';
    const [alone] = await embedder.embedPassages([text]);
    const [, inBatch] = await embedder.embedPassages(['A much longer sentence that forces padding of the batch here.', text]);
    const query = await embedder.embedQuery(text); // the bundled model has no query/passage prefixes
    expect(Array.from(inBatch!)).toEqual(Array.from(alone!));
    expect(Array.from(query)).toEqual(Array.from(alone!));
  });

  it('returns the zero vector, not NaN, for text without a known word', async () => {
    const [empty, unknown] = await embedder.embedPassages(['', 'qqzxv wwxyzq']);
    expect(Array.from(empty!).every((x) => x === 0)).toBe(true);
    expect(Array.from(unknown!).every((x) => x === 0)).toBe(true);
  });

  it('batches passages and reports progress', async () => {
    const texts = Array.from({ length: 70 }, (_, i) => `Passage number ${i} about the Moscow trials.`);
    const progress: [number, number][] = [];
    const vectors = await embedder.embedPassages(texts, (done, total) => progress.push([done, total]));
    expect(vectors).toHaveLength(70);
    expect(progress).toEqual([[32, 70], [64, 70], [70, 70]]);
  });

  it('computes the same model hash on every load', async () => {
    const again = await loadEmbedder('bundled', { modelsDir: defaultModelsDir() });
    expect(again.modelHash).toBe(embedder.modelHash);
  });

  it('gives exactly the vectors of the ONNX model from the token vectors it made with it once, and remakes a damaged file', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'token-vectors-'));
    try {
      const onnx = await loadEmbedder('bundled', { onnx: true });
      const article = readFileSync(path.join(PROJECT_ROOT, 'corpus/great-purge.txt'), 'utf8');
      // Sentences, nothing known, the tokenizer's own tokens, and more tokens than the model takes (cut alike).
      const texts = [...article.split(/(?<=[.!?])\s+/).slice(0, 60), '', 'qwzx vbnm', '[PAD] the [UNK] purge', article.slice(0, 8_000)];
      const expected = await onnx.embedPassages(texts);
      const made = await loadEmbedder('bundled', { cacheDir });
      const [file] = readdirSync(cacheDir);
      expect(file).toMatch(/^bundled-[0-9a-f]{16}\.token-vectors$/);
      expect(await made.embedPassages(texts)).toEqual(expected);
      const read = await loadEmbedder('bundled', { cacheDir });
      expect(await read.embedPassages(texts)).toEqual(expected);
      expect(await read.embedQuery(texts[0]!)).toEqual(await onnx.embedQuery(texts[0]!));
      // A file cut short (a full disk, a killed process) is not trusted: the rows are made again.
      const full = path.join(cacheDir, file!);
      truncateSync(full, 1_000);
      const remade = await loadEmbedder('bundled', { cacheDir });
      expect(await remade.embedPassages(texts)).toEqual(expected);
      expect(statSync(full).size).toBeGreaterThan(1_000_000);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('Hugging Face model ids', () => {
  const savedHost = env.remoteHost;
  const tempDirs: string[] = [];
  const tempCache = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'embed-cache-'));
    tempDirs.push(dir);
    return dir;
  };

  afterEach(() => {
    env.remoteHost = savedHost;
  });
  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('fails fast with a clear message when the model is not cached and the hub is unreachable', async () => {
    // ".invalid" never resolves (RFC 2606): the same as having no internet, on any machine.
    env.remoteHost = 'https://hub.invalid/';
    const started = Date.now();
    await expect(loadEmbedder('Xenova/all-MiniLM-L6-v2', { cacheDir: tempCache() })).rejects.toThrow(
      /"Xenova\/all-MiniLM-L6-v2".*EMBEDDING_MODEL=bundled/s,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('fails fast when the hub accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const server: Server = createServer((socket) => sockets.push(socket)); // accepts, never responds
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no server address');
    env.remoteHost = `http://127.0.0.1:${address.port}/`;
    try {
      const started = Date.now();
      await expect(
        loadEmbedder('Xenova/bge-small-en-v1.5', { cacheDir: tempCache(), probeTimeoutMs: 500 }),
      ).rejects.toThrow(/"Xenova\/bge-small-en-v1.5".*EMBEDDING_MODEL=bundled/s);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('loads a cached model without the network', async () => {
    // A cached "remote" model is just files under <cacheDir>/<owner>/<name>/; reuse the bundled files as one.
    const cacheDir = tempCache();
    cpSync(path.join(defaultModelsDir(), BUNDLED_MODEL_NAME), path.join(cacheDir, 'Local', 'static-model'), { recursive: true });
    env.remoteHost = 'https://hub.invalid/';
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const embedder = await loadEmbedder('Local/static-model', { cacheDir });
      expect(spy).not.toHaveBeenCalled();
      expect(embedder.modelId).toBe('Local/static-model');
      expect(embedder.dimensions).toBe(100);
      const v = await embedder.embedQuery('Beria');
      expect(norm(v)).toBeCloseTo(1, 5);
    } finally {
      spy.mockRestore();
    }
  });

  it('knows the prefixes and pooling of common models', () => {
    expect(profileFor('Xenova/bge-small-en-v1.5')).toEqual({
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
      passagePrefix: '',
      pooling: 'cls',
    });
    expect(profileFor('Xenova/e5-small-v2')).toEqual({ queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean' });
    expect(profileFor('Xenova/multilingual-e5-small')).toEqual({ queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean' });
    expect(profileFor('Xenova/all-MiniLM-L6-v2')).toEqual({ queryPrefix: '', passagePrefix: '', pooling: 'mean' });
  });
});

describe('vector helpers', () => {
  it('pools by masked mean or first token, then normalises', () => {
    // batch of 2, sequence 2, dims 2; the second row's second token is padding.
    const hidden = Float32Array.of(3, 0, 0, 4, 1, 1, 100, -100);
    const mask = BigInt64Array.of(1n, 1n, 1n, 0n);
    const [a, b] = poolAndNormalize(hidden, mask, [2, 2, 2], 'mean');
    expect(Array.from(a!)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    expect(Array.from(b!)).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
    const [c] = poolAndNormalize(hidden, mask, [2, 2, 2], 'cls');
    expect(Array.from(c!)).toEqual([1, 0]);
  });

  it('computes cosine of arbitrary and zero vectors', () => {
    expect(cosine(Float32Array.of(3, 0), Float32Array.of(1, 1))).toBeCloseTo(Math.SQRT1_2, 6);
    expect(cosine(Float32Array.of(0, 0), Float32Array.of(1, 1))).toBe(0);
  });
});
