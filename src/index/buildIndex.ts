import fs from 'node:fs/promises';
import { readCorpus } from '../corpus/readCorpus.ts';
import { DEFAULT_MAX_CHARS, chunkArticle, embeddingText } from '../chunks/chunkArticle.ts';
import type { Article } from '../corpus/types.ts';
import type { Embedder } from '../embeddings/types.ts';
import type { BuildSummary } from './types.ts';
import { INDEX_FORMAT_VERSION, indexFingerprint, type ChunkingParams, type HnswParams } from './manifest.ts';
import type { ChunkStore, StoredArticle, StoredChunk } from './storedIndex.ts';
import { DEFAULT_HNSW, buildHnsw } from './hnsw.ts';
import { sha256 } from './hash.ts';
import { writeIndexAtomically } from './writeIndex.ts';
import { tempFilePath } from './leftovers.ts';
import { loadIndex, type LoadedIndex } from './loadIndex.ts';
import { collectVocabulary, type Vocabulary } from './vocabulary.ts';
import { encodeGeneration } from './layout.ts';

/**
 * `maxChars` comes from BUILD_TUNING. `version` names the parsing and chunking rules: bump it when they change, so
 * that incremental builds stop reusing the chunks of unchanged articles.
 */
export const DEFAULT_CHUNKING: ChunkingParams = { maxChars: DEFAULT_MAX_CHARS, version: 2 };

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Ignore stored vectors and embed everything again. */
  full?: boolean;
  chunking?: ChunkingParams;
  hnsw?: HnswParams;
  onProgress?: (done: number, total: number) => void;
}

export interface PlannedIndex {
  articles: Article[];
  store: ChunkStore;
  chunking: ChunkingParams;
  hnsw: HnswParams;
  /** Articles split into chunks by this plan (the others reused stored chunks). */
  chunkedArticles: number;
}

/**
 * Reads and chunks the corpus: everything a build needs except vectors. Articles whose text is unchanged since
 * `reuse` was built (same chunking rules) keep their stored chunks: sentence splitting is most of a build's time.
 */
export async function planIndex(corpusDir: string, chunking = DEFAULT_CHUNKING, hnsw = DEFAULT_HNSW, reuse?: LoadedIndex): Promise<PlannedIndex> {
  const articles = await readCorpus(corpusDir);
  const stored = reusableChunks(reuse, chunking);
  let chunkedArticles = 0;
  const chunks: StoredChunk[] = articles.flatMap((article) => {
    const kept = stored.get(`${article.id}\u0000${sha256(article.source)}`);
    if (kept) return kept;
    chunkedArticles++;
    return chunkArticle(article, { maxChars: chunking.maxChars }).map((chunk) => ({ ...chunk, embedHash: sha256(embeddingText(chunk)) }));
  });
  return { articles, store: { articles: articles.map(toStoredArticle), chunks }, chunking, hnsw, chunkedArticles };
}

/** Stored chunks of each article of an index, keyed by article id and text hash, when its chunking rules are these. */
function reusableChunks(index: LoadedIndex | undefined, chunking: ChunkingParams): Map<string, StoredChunk[]> {
  const byArticle = new Map<string, StoredChunk[]>();
  if (!index || JSON.stringify(index.manifest.chunking) !== JSON.stringify(chunking)) return byArticle;
  const hashOf = new Map(index.manifest.articles.map((a) => [a.id, a.sha256]));
  for (const chunk of index.chunks) {
    const key = `${chunk.articleId}\u0000${hashOf.get(chunk.articleId)}`;
    byArticle.set(key, [...(byArticle.get(key) ?? []), chunk]);
  }
  return byArticle;
}

/**
 * Builds the index for a corpus folder, re-embedding only chunks whose embedded text or model changed.
 * Fails (leaving the previous index untouched) on any corpus problem.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const { embedder, indexDir } = options;
  const model = { id: embedder.modelId, dimensions: embedder.dimensions, hash: embedder.modelHash };
  const current = options.full ? undefined : await loadIndex(indexDir, model).catch(() => undefined);
  const plan = await planIndex(options.corpusDir, options.chunking, options.hnsw, current);
  const { chunks } = plan.store;
  const storeJson = JSON.stringify(plan.store);
  const fingerprint = indexFingerprint({ model, hnsw: plan.hnsw, chunking: plan.chunking, chunkStoreJson: storeJson });
  const counts = {
    articles: plan.articles.length,
    sections: plan.articles.reduce((n, a) => n + a.sections.length, 0),
    chunks: chunks.length,
  };

  if (current && current.manifest.fingerprint === fingerprint) {
    return { ...counts, embedded: 0, reused: chunks.length, removed: 0, ms: Math.round(performance.now() - started), changed: false };
  }
  const previous = current ? vectorsByEmbedHash(current) : new Map<string, Float32Array>();

  const missing = chunks.filter((chunk) => !previous.has(chunk.embedHash));
  const fresh = missing.length > 0 ? await embedder.embedPassages(missing.map(embeddingText), options.onProgress) : [];
  const vectorByHash = new Map(previous);
  missing.forEach((chunk, i) => vectorByHash.set(chunk.embedHash, fresh[i]!));

  const dims = embedder.dimensions;
  const vectors = new Float32Array(chunks.length * dims);
  chunks.forEach((chunk, i) => vectors.set(vectorByHash.get(chunk.embedHash)!, i * dims));

  const vocabulary = await embedVocabulary(plan.store.chunks, embedder, current);

  const currentIds = new Set(chunks.map((c) => c.id));
  const removed = (current?.chunks ?? []).filter((c) => !currentIds.has(c.id)).length;

  const hnswIndex = buildHnsw(vectors, dims, plan.hnsw);
  const tmpHnsw = await tempFilePath('hnsw', '.bin');
  hnswIndex.writeIndexSync(tmpHnsw);
  const hnswBytes = await fs.readFile(tmpHnsw);
  await fs.rm(tmpHnsw, { force: true });

  await writeIndexAtomically(
    indexDir,
    encodeGeneration({ storeJson, vectors, vocabulary }, hnswBytes),
    {
      formatVersion: INDEX_FORMAT_VERSION,
      builtAt: new Date().toISOString(),
      fingerprint,
      model,
      hnsw: plan.hnsw,
      chunking: plan.chunking,
      articles: plan.articles.map((a) => ({ id: a.id, title: a.title, file: a.file, sha256: sha256(a.source) })),
      chunkIds: chunks.map((c) => c.id),
      counts,
    },
  );
  return {
    ...counts,
    embedded: missing.length,
    reused: chunks.length - missing.length,
    removed,
    ms: Math.round(performance.now() - started),
    changed: true,
  };
}

function toStoredArticle(article: Article): StoredArticle {
  return {
    id: article.id,
    title: article.title,
    file: article.file,
    ...(article.sourceUrl ? { sourceUrl: article.sourceUrl } : {}),
    sections: article.sections.map((s) => ({
      heading: s.heading,
      path: s.path,
      isReference: s.isReference,
      paragraphs: s.paragraphs.map((p) => p.text),
    })),
  };
}

/** One vector per corpus word (for word alignment at question time); vectors of words already known are reused. */
async function embedVocabulary(chunks: StoredChunk[], embedder: Embedder, current: LoadedIndex | undefined): Promise<Vocabulary> {
  const words = collectVocabulary(chunks);
  const dims = embedder.dimensions;
  const known = new Map<string, Float32Array>();
  current?.vocabulary.words.forEach((word, i) => known.set(word, current.vocabulary.vectors.subarray(i * dims, (i + 1) * dims)));
  const missing = words.filter((w) => !known.has(w));
  const fresh = missing.length > 0 ? await embedder.embedPassages(missing) : [];
  missing.forEach((word, i) => known.set(word, fresh[i]!));
  const vectors = new Float32Array(words.length * dims);
  words.forEach((word, i) => vectors.set(known.get(word)!, i * dims));
  return { words, vectors, dimensions: dims };
}

/** Stored vectors keyed by the hash of what was embedded, so unchanged chunks are not embedded again. */
function vectorsByEmbedHash(index: LoadedIndex): Map<string, Float32Array> {
  const dims = index.manifest.model.dimensions;
  return new Map(index.chunks.map((chunk, i) => [chunk.embedHash, index.vectors.slice(i * dims, (i + 1) * dims)]));
}
