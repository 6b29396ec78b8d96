import fs from 'node:fs/promises';
import path from 'node:path';
import { listArticleFiles, walkCorpus, type CorpusFile, type ScannedArticle } from '../corpus/readCorpus.ts';
import { chunkerInWorker, chunkerOnThisThread, type ArticleChunker, type ChunkedArticle } from './articleChunker.ts';
import type { Embedder } from '../embeddings/types.ts';
import { BUILD_TUNING } from '../config/tuning.ts';
import type { BuildSummary } from './types.ts';
import { INDEX_FORMAT_VERSION, indexFingerprint, type ChunkingParams, type HnswParams, type Manifest } from './manifest.ts';
import { DEFAULT_HNSW } from './hnsw.ts';
import { startGraphBuilder, type GraphBuilder } from './graphBuilder.ts';
import { GENERATION_FILES } from './layout.ts';
import { startGeneration } from './generation.ts';
import { loadManifestIfUsable } from './loadIndex.ts';
import { createIndexDb, openIndexDbForUpdate, openIndexDbReadOnly, readMeta, writeMeta, type Db } from './indexDb.ts';
import { createArticleWriter, type PendingVector } from './writeArticles.ts';
import { readWordVectors, writeWordVectors } from './wordVectors.ts';

/**
 * `maxChars` comes from BUILD_TUNING. `version` names the rules of parsing, chunking and sentence facts: bump it when
 * they change, so that incremental builds stop reusing what they stored of unchanged articles.
 */
export const DEFAULT_CHUNKING: ChunkingParams = { maxChars: BUILD_TUNING.chunkMaxChars, version: 5 };

export interface BuildOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Ignore the previous index: parse, chunk and embed everything again, and build a new graph. */
  full?: boolean;
  chunking?: ChunkingParams;
  hnsw?: HnswParams;
  /** Articles done so far, of all. */
  onProgress?: (done: number, total: number) => void;
  /** Chunk articles in a worker thread (default: when the corpus has WORKER_FROM_ARTICLES articles or more). */
  chunkInWorker?: boolean;
}

/** Articles written between two flushes of their chunks' vectors into the graph (bounds what a build holds). */
const FLUSH_EVERY = 200;
/** Builds with at least this many articles chunk them in a worker thread (starting one costs more than a few articles). */
const WORKER_FROM_ARTICLES = 20;
/** Articles read and handed to the chunker before the oldest of them is written (bounds what a build holds). */
const AHEAD = 32;

/** The generation a build starts from, when it can (same format, model and parameters, files intact). */
interface Previous {
  manifest: Manifest;
  dir: string;
  /** One more than the largest label its graph ever held: new chunks get labels from here on. */
  nextLabel: number;
  /** Points marked deleted in its graph (new points take their places). */
  deletedPoints: number;
  articles: Map<string, { sha256: string; file: string; title: string }>;
}

/**
 * Builds the index for a corpus folder into a new generation. Incremental by default: articles whose text is
 * unchanged are not parsed again, chunks whose id and embedded text are unchanged keep their vector and their place
 * in the graph, which is updated in place (deleted points marked, new points in their places) until deleted points
 * pass a share of it. Fails on any corpus problem, leaving the previous index untouched.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const { embedder, indexDir } = options;
  const chunking = options.chunking ?? DEFAULT_CHUNKING;
  const hnswParams = options.hnsw ?? DEFAULT_HNSW;
  const model = { id: embedder.modelId, dimensions: embedder.dimensions, hash: embedder.modelHash };
  const previous = options.full ? undefined : await previousGeneration(indexDir, { model, chunking, hnsw: hnswParams });
  const known = (file: CorpusFile) => {
    const article = previous?.articles.get(file.id);
    return article && article.sha256 === file.sha256 && article.file === file.file ? { title: article.title } : undefined;
  };

  if (previous && (await unchangedSince(options.corpusDir, previous.articles.size, known))) {
    const { counts } = previous.manifest;
    return { ...counts, embedded: 0, reused: counts.chunks, removed: 0, parsed: 0, ms: ms(), changed: false };
  }

  const generation = await startGeneration(indexDir);
  let db: Db | undefined;
  let graph: GraphBuilder | undefined;
  let chunker: ArticleChunker | undefined;
  try {
    const dbFile = path.join(generation.dir, GENERATION_FILES.database);
    if (previous) await fs.copyFile(path.join(previous.dir, GENERATION_FILES.database), dbFile);
    db = previous ? openIndexDbForUpdate(dbFile) : createIndexDb(dbFile);
    graph = startGraphBuilder(model.dimensions, hnswParams, previous ? { file: path.join(previous.dir, GENERATION_FILES.hnsw), deletedPoints: previous.deletedPoints } : {});
    const writer = createArticleWriter(db, { typoMinLength: BUILD_TUNING.typoMinLength, graphLabelsBelow: previous?.nextLabel ?? 0 });
    const stats = { embedded: 0, parsed: 0 };
    const place = (pending: PendingVector[]) => placeVectors(pending, graph!, embedder, stats);

    const seen = new Set<string>();
    const total = (await listArticleFiles(options.corpusDir)).length;
    chunker = (options.chunkInWorker ?? total >= WORKER_FROM_ARTICLES) ? chunkerInWorker(chunking.maxChars) : chunkerOnThisThread(chunking.maxChars);
    // Articles are read and handed to the chunker up to AHEAD in advance, and written in corpus order.
    const ahead: Array<{ entry: ScannedArticle; position: number; chunked?: Promise<ChunkedArticle> }> = [];
    const writeNext = async () => {
      const { entry, position, chunked } = ahead.shift()!;
      if ('article' in entry) {
        stats.parsed++;
        writer.remove(entry.file.id);
        const { chunks, facts } = await chunked!;
        writer.insert(entry.article, chunks, facts, position);
      } else {
        writer.move(entry.file.id, position);
      }
      if (position % FLUSH_EVERY === FLUSH_EVERY - 1) await place(writer.takePending());
      options.onProgress?.(position + 1, total);
    };
    db.exec('BEGIN');
    await walkCorpus(options.corpusDir, known, async (entry, position) => {
      seen.add(entry.file.id);
      const chunked = 'article' in entry ? chunker!.chunk(entry.article) : undefined;
      // A rejection is handled where the article is written; until then it must not count as unhandled.
      chunked?.catch(() => undefined);
      ahead.push({ entry, position, ...(chunked ? { chunked } : {}) });
      if (ahead.length > AHEAD) await writeNext();
    });
    while (ahead.length > 0) await writeNext();
    await chunker.close();
    chunker = undefined;
    for (const id of previous?.articles.keys() ?? []) if (!seen.has(id)) writer.remove(id);
    await place(writer.takePending());
    // Removed chunks leave the graph only now: until here their points could lend vectors to moved chunks.
    const freed = writer.freedLabels();
    graph.markDelete(freed);
    const newWords = writer.takeNewWords();
    const vectors = newWords.length > 0 ? await embedder.embedPassages(newWords.map((w) => w.word)) : [];
    writer.pruneVocabulary();
    await writeWordVectors(
      path.join(generation.dir, GENERATION_FILES.wordVectors),
      db,
      model.dimensions,
      previous ? await readWordVectors(path.join(previous.dir, GENERATION_FILES.wordVectors), model.dimensions) : undefined,
      new Map(newWords.map((w, i) => [w.id, vectors[i]!])),
    );

    const counts = countsOf(db);
    const fingerprint = indexFingerprint({ model, hnsw: hnswParams, chunking, articles: articleHashes(db) });
    const nextLabel = Math.max(previous?.nextLabel ?? 0, maxLabel(db) + 1);
    // In-place updates slowly wear the graph down; past this share of deleted points it is built afresh.
    // Without ORDER BY, SQLite reads the labels from a small index instead of the whole table (0.25 s at 100,000 chunks).
    const liveLabels = (db.prepare('SELECT label FROM chunks').pluck().all() as number[]).sort((a, b) => a - b);
    const waitStarted = performance.now();
    const written = await graph.finish(path.join(generation.dir, GENERATION_FILES.hnsw), liveLabels, BUILD_TUNING.hnswRebuildShare);
    const graphWaitMs = Math.round(performance.now() - waitStarted);
    await graph.close();
    graph = undefined;
    // BM25's average field lengths, for the bot: computing them means reading every chunk (0.2 s at 100,000 chunks).
    const lengths = db.prepare('SELECT AVG(heading_length) AS heading, AVG(body_length) AS body FROM chunks').get() as { heading: number | null; body: number | null };
    writeMeta(db, {
      fingerprint,
      next_label: nextLabel,
      deleted_points: written.deletedPoints,
      average_heading_length: lengths.heading || 1,
      average_body_length: lengths.body || 1,
    });
    db.exec('COMMIT');
    db.close();
    db = undefined;
    await generation.commit({ formatVersion: INDEX_FORMAT_VERSION, builtAt: new Date().toISOString(), fingerprint, model, hnsw: hnswParams, chunking, counts });
    return {
      ...counts, embedded: stats.embedded, reused: counts.chunks - stats.embedded, removed: freed.length, parsed: stats.parsed, ms: ms(), changed: true,
      graph: { busyMs: written.busyMs, waitMs: graphWaitMs },
    };
  } catch (error) {
    await graph?.close();
    await chunker?.close();
    db?.close();
    await generation.discard();
    throw error;
  }
}

/**
 * True when the corpus holds exactly the articles of the previous build, each unchanged. Reading and hashing every
 * file is cheap next to copying a database that nothing would change; it also checks the corpus before a build.
 */
async function unchangedSince(corpusDir: string, previousArticles: number, known: (file: CorpusFile) => { title: string } | undefined): Promise<boolean> {
  let unchanged = 0;
  let visited = 0;
  await walkCorpus(corpusDir, known, (entry) => {
    visited++;
    if (!('article' in entry)) unchanged++;
  });
  return unchanged === visited && visited === previousArticles;
}

/**
 * Gives every pending chunk its point in the graph: the point of a chunk of the previous graph with the same embedded
 * text when there is one, else a fresh embedding (batched by the embedder).
 */
async function placeVectors(pending: PendingVector[], graph: GraphBuilder, embedder: Embedder, stats: { embedded: number; parsed: number }): Promise<void> {
  const reused = pending.filter((p) => p.reuseLabel !== undefined);
  graph.copy(reused.map((p) => p.reuseLabel!), reused.map((p) => p.label));
  const toEmbed = pending.filter((p) => p.reuseLabel === undefined);
  const vectors = toEmbed.length > 0 ? await embedder.embedPassages(toEmbed.map((p) => p.text)) : [];
  graph.add(toEmbed.map((p) => p.label), vectors);
  stats.embedded += toEmbed.length;
}

function countsOf(db: Db): { articles: number; sections: number; chunks: number } {
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { articles: count('articles'), sections: count('sections'), chunks: count('chunks') };
}

function maxLabel(db: Db): number {
  return (db.prepare('SELECT MAX(label) AS m FROM chunks').get() as { m: number | null }).m ?? -1;
}

/** [article id, hash of what is stored of it], in corpus order: what the fingerprint is made of. */
export function articleHashes(db: Db): Array<[string, string]> {
  return (db.prepare('SELECT slug, chunks_hash FROM articles ORDER BY position').all() as Array<{ slug: string; chunks_hash: string }>).map((r) => [r.slug, r.chunks_hash]);
}

/** The current generation of the index folder, when this build can start from it. */
async function previousGeneration(indexDir: string, expected: Pick<Manifest, 'model' | 'chunking' | 'hnsw'>): Promise<Previous | undefined> {
  const usable = await loadManifestIfUsable(indexDir, expected);
  if (!usable) return undefined;
  const db = openIndexDbReadOnly(path.join(usable.dir, GENERATION_FILES.database));
  try {
    const meta = readMeta(db);
    const rows = db.prepare('SELECT slug, sha256, file, title FROM articles').all() as Array<{ slug: string; sha256: string; file: string; title: string }>;
    return {
      manifest: usable.manifest,
      dir: usable.dir,
      nextLabel: Number(meta.get('next_label') ?? 0),
      deletedPoints: Number(meta.get('deleted_points') ?? 0),
      articles: new Map(rows.map((r) => [r.slug, { sha256: r.sha256, file: r.file, title: r.title }])),
    };
  } finally {
    db.close();
  }
}
