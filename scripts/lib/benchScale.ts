import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { buildIndex } from '../../src/index/buildIndex.ts';
import { corpusChunks } from '../../src/chunks/chunkCorpus.ts';
import { loadEmbedder } from '../../src/embeddings/loadEmbedder.ts';
import type { Embedder } from '../../src/embeddings/types.ts';
import { GENERATION_FILES, MANIFEST_FILE } from '../../src/index/layout.ts';
import type { Manifest } from '../../src/index/manifest.ts';
import { openIndexDbReadOnly } from '../../src/index/indexDb.ts';
import { PROJECT_ROOT } from '../../src/config/config.ts';
import { writeSyntheticCorpus } from './benchCorpus.ts';
import { editOneParagraph } from './benchSeed.ts';
import type { ServeResult } from './benchServe.ts';
import { folderBytes, peakRssMb, progress, timed } from './benchStats.ts';

export interface ScaleResult {
  target_chunks: number;
  chunks: number;
  articles: number;
  corpus_bytes: number;
  /** Distinct topic words (word alignment's vocabulary) and lexical terms (BM25's) in the index. */
  vocabulary_words: number;
  lexical_terms: number;
  generate_ms: number;
  model_load_ms: number;
  /** A full build (`buildIndex --full`), with where its time went. */
  build: {
    ms: number;
    embed_ms: number;
    embed_chunks_per_s: number;
    /** Inserting into the HNSW graph and writing it, in the graph's worker thread (overlapping with the rest). */
    hnsw_ms: number;
    /** How long the build waited for the graph's worker at its end. */
    hnsw_wait_ms: number;
    /** Reading, parsing, chunking, tokenizing and writing the database: the rest (what the build did not wait for the embedder or the graph). */
    rest_ms: number;
    peak_rss_mb: number;
  };
  index_bytes: number;
  index_files_bytes: Record<string, number>;
  /** buildIndex again after one paragraph of one article was edited (null when not measured, e.g. --quick). */
  incremental: { ms: number; embedded: number; parsed: number } | null;
  /** The bot's side, measured in a fresh process: opening the engine, answering, memory, HNSW recall. */
  serve: ServeResult;
}

export interface ScaleOptions {
  targetChunks: number;
  workDir: string;
  seedSource: string;
  questionsFile: string;
  queryCount: number;
  modelId: string;
  modelCacheDir: string;
  incremental: boolean;
}

const SERVE_CHILD = path.join(PROJECT_ROOT, 'scripts/lib/benchServeChild.ts');

/** Generates a synthetic corpus, builds its index with the real code, edits it, and measures the bot on it in a fresh process. */
export async function measureScale(options: ScaleOptions): Promise<ScaleResult> {
  const { targetChunks, workDir } = options;
  const corpusDir = path.join(workDir, 'corpus');
  const indexDir = path.join(workDir, 'index');
  const label = `${targetChunks.toLocaleString('en-US')} chunks`;

  progress(`${label}: generating the synthetic corpus`);
  const countChunks = async (dir: string) => (await corpusChunks(dir)).length;
  const generated = await timed(() => writeSyntheticCorpus(corpusDir, options.seedSource, targetChunks, countChunks));
  progress(`${label}: ${generated.value.articles} articles, ${(generated.value.bytes / 1e6).toFixed(1)} MB written in ${Math.round(generated.ms)} ms`);

  const loadedModel = await timed(() => loadEmbedder(options.modelId, { cacheDir: options.modelCacheDir }));
  const { embedder, embedMs } = timedEmbedder(loadedModel.value);

  progress(`${label}: building the index (buildIndex --full, real embedder)`);
  let lastReported = -1;
  const built = await timed(() =>
    buildIndex({
      corpusDir,
      indexDir,
      embedder,
      full: true,
      onProgress: (done, total) => {
        const tenth = Math.floor((done / total) * 10);
        if (tenth > lastReported) {
          lastReported = tenth;
          progress(`${label}: ${done}/${total} articles`);
        }
      },
    }),
  );
  const summary = built.value;
  const buildPeak = peakRssMb();
  const graph = summary.graph ?? { busyMs: 0, waitMs: 0 };
  progress(`${label}: built ${summary.chunks} chunks in ${Math.round(built.ms)} ms`);
  const size = await folderBytes(indexDir);
  const vocabulary = await vocabularySize(indexDir);

  let incremental: ScaleResult['incremental'] = null;
  if (options.incremental) {
    progress(`${label}: incremental build after a one-paragraph edit`);
    await editOneParagraph(corpusDir);
    const again = await timed(() => buildIndex({ corpusDir, indexDir, embedder }));
    if (!again.value.changed) throw new Error('The incremental build did not notice the edited paragraph.');
    incremental = { ms: Math.round(again.ms), embedded: again.value.embedded, parsed: again.value.parsed };
  }

  progress(`${label}: the bot on this index, in a fresh process`);
  const serve = await runServeChild({ indexDir, corpusDir, options });
  return {
    target_chunks: targetChunks,
    chunks: summary.chunks,
    articles: summary.articles,
    corpus_bytes: generated.value.bytes,
    ...vocabulary,
    generate_ms: Math.round(generated.ms),
    model_load_ms: Math.round(loadedModel.ms),
    build: {
      ms: Math.round(built.ms),
      embed_ms: Math.round(embedMs.total),
      embed_chunks_per_s: Math.round(summary.embedded / Math.max(0.001, embedMs.total / 1000)),
      hnsw_ms: graph.busyMs,
      hnsw_wait_ms: graph.waitMs,
      rest_ms: Math.round(built.ms - embedMs.total - graph.waitMs),
      peak_rss_mb: buildPeak,
    },
    index_bytes: size.total,
    index_files_bytes: Object.fromEntries(Object.entries(size.files).map(([file, bytes]) => [path.basename(file), bytes])),
    incremental,
    serve,
  };
}

async function vocabularySize(indexDir: string): Promise<{ vocabulary_words: number; lexical_terms: number }> {
  const manifest = JSON.parse(await fs.readFile(path.join(indexDir, MANIFEST_FILE), 'utf8')) as Manifest;
  const db = openIndexDbReadOnly(path.join(indexDir, manifest.generation, GENERATION_FILES.database));
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { vocabulary_words: count('words'), lexical_terms: count('terms') };
  } finally {
    db.close();
  }
}

/** Delegates to the real embedder and adds up the time buildIndex spent in embedPassages. */
function timedEmbedder(inner: Embedder): { embedder: Embedder; embedMs: { total: number } } {
  const embedMs = { total: 0 };
  const embedder: Embedder = {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    modelHash: inner.modelHash,
    embedQuery: (text) => inner.embedQuery(text),
    async embedPassages(texts, onProgress) {
      const start = performance.now();
      try {
        return await inner.embedPassages(texts, onProgress);
      } finally {
        embedMs.total += performance.now() - start;
      }
    },
  };
  return { embedder, embedMs };
}

/** Measures the bot's side of one scale point in its own process, so its memory is the bot's alone. */
function runServeChild(o: { indexDir: string; corpusDir: string; options: ScaleOptions }): Promise<ServeResult> {
  const args = [
    '--expose-gc', '--import', 'tsx', SERVE_CHILD,
    '--index', o.indexDir, '--corpus', o.corpusDir, '--questions', o.options.questionsFile, '--queries', String(o.options.queryCount),
    '--model', o.options.modelId, '--model-cache', o.options.modelCacheDir,
  ];
  return new Promise((resolve, reject) => {
    let stdout = '';
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`The serve benchmark failed (exit code ${code}); see its output above.`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ServeResult);
      } catch {
        reject(new Error(`The serve benchmark printed no result: ${stdout.slice(0, 200)}`));
      }
    });
  });
}
