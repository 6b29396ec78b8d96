import { loadConfig } from '../../src/config/config.ts';
import { DEFAULT_TUNING } from '../../src/config/tuning.ts';
import { createLogger } from '../../src/log/logger.ts';
import { openLiveEngine } from '../../src/service/liveEngine.ts';
import { loadEmbedder } from '../../src/embeddings/loadEmbedder.ts';
import { loadIndex } from '../../src/index/loadIndex.ts';
import { searchHnsw, type HnswIndex } from '../../src/index/hnsw.ts';
import { benchQueries, sentencePool } from './benchCorpus.ts';
import { memory, percentiles, progress, round3, timed, type Percentiles } from './benchStats.ts';

/** HNSW search sizes measured besides the configured one (recall and latency per ef). */
export const EF_SWEEP = [10, 20, 40, 64, 100, 200, 400, 800];
/** Two scores closer than this count as a tie when judging recall (float32 dot products of unit vectors). */
const TIE_EPSILON = 1e-5;

export interface ServeResult {
  /** openLiveEngine on this index (model + verifying and opening the index): the bot's start-up at this size. */
  open_ms: number;
  /** Longest stretch the event loop could not run a timer while the engine opened (a bot swapping in such an index stays responsive when small). */
  open_max_block_ms: number;
  /** Warm answers through that engine (the evaluation's dev questions, after a warm-up pass): the bot's latency. */
  answer_ms: Percentiles;
  /** The bot process after opening and answering, after a full GC (what the bot holds), and its peak. */
  rss_mb: number;
  peak_rss_mb: number;
  heap_used_mb: number;
  hnsw: { m: number; ef_construction: number; ef: number };
  queries: number;
  query_ms: Percentiles;
  query_engine_k_ms: Percentiles;
  /** Over all queries (evaluation questions, then seed-sentence fragments), tie-aware. */
  recall_at_10: number;
  recall_at_10_questions: number;
  recall_at_10_fragments: number;
  brute_force_ms: Percentiles;
  ef_sweep: Array<{ ef: number; recall_at_10: number; recall_at_10_questions: number; query_ms: { p50: number; p95: number } }>;
}

export interface ServeOptions {
  indexDir: string;
  corpusDir: string;
  seedSource: string;
  questions: string[];
  queryCount: number;
  modelId: string;
  modelCacheDir: string;
}

/** The bot's side of a scale point: open, answer, memory; then (no longer counted as the bot's memory) HNSW recall. */
export async function measureServe(options: ServeOptions): Promise<ServeResult> {
  const config = loadConfig({ ...process.env, EMBEDDING_MODEL: options.modelId, MODEL_CACHE_DIR: options.modelCacheDir, CORPUS_DIR: options.corpusDir, INDEX_DIR: options.indexDir });
  progress('serve: opening the engine');
  const blocking = eventLoopBlocking();
  const engine = await timed(() => openLiveEngine(config, createLogger('silent')));
  const openMaxBlock = blocking.stop();
  const answerTimes: number[] = [];
  try {
    progress(`serve: ${options.questions.length} questions, warm`);
    for (const q of options.questions) await engine.value.answer(q);
    for (const q of options.questions) {
      const started = performance.now();
      await engine.value.answer(q);
      answerTimes.push(performance.now() - started);
    }
  } finally {
    await engine.value.close();
  }
  const mem = memory();

  progress(`serve: ${options.queryCount} queries: HNSW vs exact search`);
  const embedder = await loadEmbedder(options.modelId, { cacheDir: options.modelCacheDir });
  const index = await loadIndex(options.indexDir, { id: embedder.modelId, hash: embedder.modelHash });
  const liveLabels = (index.db.prepare('SELECT label FROM chunks ORDER BY label').all() as Array<{ label: number }>).map((r) => r.label);
  const graph = graphVectors(index.hnsw, liveLabels, index.manifest.model.dimensions);
  const queries = benchQueries(options.questions, sentencePool(options.seedSource), options.queryCount);
  const queryVectors: Float32Array[] = [];
  for (const q of queries) queryVectors.push(await embedder.embedQuery(q));
  const live = index.manifest.counts.chunks;
  const exact = queryVectors.map((q) => exactTopK(graph, q, 10));
  const bruteTimes: number[] = [];
  for (const q of queryVectors) {
    const started = performance.now();
    exactTopK(graph, q, 10);
    bruteTimes.push(performance.now() - started);
  }
  const measureEf = (k: number, passes: number) => {
    const times: number[] = [];
    let results: Array<Array<{ label: number }>> = [];
    for (const q of queryVectors) searchHnsw(index.hnsw, q, k, live); // warm-up
    for (let pass = 0; pass < passes; pass++) {
      results = [];
      for (const q of queryVectors) {
        const started = performance.now();
        results.push(searchHnsw(index.hnsw, q, k, live));
        times.push(performance.now() - started);
      }
    }
    return { times, results };
  };
  const configuredEf = index.manifest.hnsw.efSearch;
  const atK10 = measureEf(10, 3);
  const atEngineK = measureEf(DEFAULT_TUNING.retrieval.candidates, 3);
  const questionCount = Math.min(options.questions.length, queries.length);
  const part = <T>(items: T[], which: 'questions' | 'fragments') => (which === 'questions' ? items.slice(0, questionCount) : items.slice(questionCount));
  const recall = (results: Array<Array<{ label: number }>>, which?: 'questions' | 'fragments') =>
    which ? recallAt10(part(results, which), part(exact, which), graph, part(queryVectors, which)) : recallAt10(results, exact, graph, queryVectors);
  const sweep: ServeResult['ef_sweep'] = [];
  for (const ef of EF_SWEEP) {
    index.hnsw.setEf(ef);
    const run = measureEf(10, 1);
    const p = percentiles(run.times);
    sweep.push({ ef, recall_at_10: recall(run.results), recall_at_10_questions: recall(run.results, 'questions'), query_ms: { p50: round3(p.p50), p95: round3(p.p95) } });
  }
  index.hnsw.setEf(configuredEf);
  index.close();
  return {
    open_ms: Math.round(engine.ms),
    open_max_block_ms: openMaxBlock,
    answer_ms: percentiles(answerTimes),
    rss_mb: mem.rss_mb,
    peak_rss_mb: mem.peak_rss_mb,
    heap_used_mb: mem.heap_used_mb,
    hnsw: { m: index.manifest.hnsw.m, ef_construction: index.manifest.hnsw.efConstruction, ef: configuredEf },
    queries: queries.length,
    query_ms: percentiles(atK10.times),
    query_engine_k_ms: percentiles(atEngineK.times),
    recall_at_10: recall(atK10.results),
    recall_at_10_questions: recall(atK10.results, 'questions'),
    recall_at_10_fragments: recall(atK10.results, 'fragments'),
    brute_force_ms: percentiles(bruteTimes),
    ef_sweep: sweep,
  };
}

/** The graph's live points (the database's chunks; deleted points stay in the graph, marked), with their labels: the ground truth for exact search. */
interface GraphVectors {
  labels: number[];
  vectors: Float32Array;
  dims: number;
  byLabel: Map<number, number>;
}

function graphVectors(graph: HnswIndex, labels: number[], dims: number): GraphVectors {
  const vectors = new Float32Array(labels.length * dims);
  const byLabel = new Map<number, number>();
  labels.forEach((label, row) => {
    vectors.set(graph.getPoint(label), row * dims);
    byLabel.set(label, row);
  });
  return { labels, vectors, dims, byLabel };
}

/** Exact k nearest neighbours by dot product over the graph's unit vectors. */
export function exactTopK(g: GraphVectors, query: Float32Array, k: number): { labels: number[]; scores: number[] } {
  const labels: number[] = [];
  const scores: number[] = [];
  for (let row = 0; row < g.labels.length; row++) {
    let s = 0;
    const offset = row * g.dims;
    for (let d = 0; d < g.dims; d++) s += g.vectors[offset + d]! * query[d]!;
    if (scores.length === k && s <= scores[k - 1]!) continue;
    let at = scores.length;
    while (at > 0 && scores[at - 1]! < s) at--;
    scores.splice(at, 0, s);
    labels.splice(at, 0, g.labels[row]!);
    if (scores.length > k) {
      scores.pop();
      labels.pop();
    }
  }
  return { labels, scores };
}

function dotAt(g: GraphVectors, label: number, query: Float32Array): number {
  const row = g.byLabel.get(label);
  if (row === undefined) return -Infinity;
  let s = 0;
  const offset = row * g.dims;
  for (let d = 0; d < g.dims; d++) s += g.vectors[offset + d]! * query[d]!;
  return s;
}

/**
 * Recall@10 of approximate results against exact ones, tie-aware: a returned chunk counts as correct when its exact
 * similarity is at least the 10th exact similarity (minus a float tolerance), so equally close chunks (duplicate
 * paragraphs in a recombined corpus) are not counted as misses.
 */
function recallAt10(results: Array<Array<{ label: number }>>, exact: Array<{ labels: number[]; scores: number[] }>, g: GraphVectors, queries: Float32Array[]): number {
  let hits = 0;
  let wanted = 0;
  results.forEach((found, qi) => {
    const truth = exact[qi]!;
    const k = truth.labels.length;
    if (k === 0) return;
    wanted += k;
    const threshold = truth.scores[k - 1]! - TIE_EPSILON;
    hits += Math.min(k, found.slice(0, k).filter((f) => dotAt(g, f.label, queries[qi]!) >= threshold).length);
  });
  return wanted ? round3(hits / wanted) : 1;
}

/** Measures the longest stretch during which a 5 ms timer could not run, from now until stop(). */
function eventLoopBlocking(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  const timer = setInterval(tick, 5);
  return {
    stop() {
      tick();
      clearInterval(timer);
      return Math.round(longest);
    },
  };
}
