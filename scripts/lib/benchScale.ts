import fs from 'node:fs/promises';
import path from 'node:path';
import { hnswEvents, instrumentationInstalled, peakRssMb, type HnswEvent } from './benchInstrument.ts';
import { buildIndex, planIndex } from '../../src/index/buildIndex.ts';
import { loadIndex } from '../../src/index/loadIndex.ts';
import { searchHnsw } from '../../src/index/hnsw.ts';
import { readCorpus } from '../../src/corpus/readCorpus.ts';
import { loadEmbedder } from '../../src/embeddings/loadEmbedder.ts';
import type { Embedder } from '../../src/embeddings/types.ts';
import { createRetriever } from '../../src/retrieval/retriever.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openLiveEngine } from '../../src/service/liveEngine.ts';
import { DEFAULT_TUNING } from '../../src/config/tuning.ts';
import { createLogger } from '../../src/log/logger.ts';
import { benchQueries, sentencePool, writeSyntheticCorpus } from './benchCorpus.ts';
import { editOneParagraph } from './benchSeed.ts';
import { folderBytes, mb, memory, percentiles, progress, round3, timed, type Percentiles } from './benchStats.ts';

/** HNSW search sizes measured besides the configured one (recall and latency per ef). */
export const EF_SWEEP = [10, 20, 40, 64, 100, 200, 400];
/** Candidates the answer engine asks the HNSW index for. */
export const ENGINE_K = DEFAULT_TUNING.retrieval.candidates;
/** Two scores closer than this count as a tie when judging recall (float32 dot products of unit vectors). */
const TIE_EPSILON = 1e-5;

export interface ScaleResult {
  target_chunks: number;
  chunks: number;
  articles: number;
  corpus_bytes: number;
  generate_ms: number;
  model_load_ms: number;
  build_ms: number;
  /** Phases of the real build above (see benchInstrument.ts); `null` when the instrumentation could not be installed. */
  build_breakdown_ms: {
    plan: number;
    /** embedPassages for the chunks. */
    embed: number;
    /** Further embedPassages calls (e.g. the vocabulary's word vectors) and how many texts they embedded. */
    embed_other: number;
    embed_other_texts: number;
    hnsw_insert: number | null;
    hnsw_serialize: number | null;
    write: number | null;
    /** Whatever else the build did between those (assembling vectors, collecting the vocabulary, …). */
    other: number | null;
  };
  /**
   * Parts of `plan`: reading + parsing the corpus and serialising the chunk store, timed again on their own after
   * the build; chunk_hash (sentence splitting, chunking, hashing, fingerprint) is the rest of `plan`.
   */
  plan_breakdown_ms: { read_parse: number; chunk_hash: number; stringify_store: number };
  embed_chunks_per_s: number;
  index_bytes: number;
  index_files_bytes: Record<string, number>;
  load_ms: number;
  load_breakdown_ms: { chunks_json_parse: number; hnsw_read: number | null };
  retriever_ms: number;
  /** Longest the event loop went without running a timer while createRetriever ran (a bot swapping in this index stays responsive when this is small). */
  retriever_max_block_ms: number;
  rss_mb: number;
  peak_rss_mb: number;
  /**
   * Peak RSS of the process so far (MB) at the end of each step, in order: where it jumps is where the memory went.
   * plan = before the first embedding; embed = after embedding the chunks; hnsw = after inserting into the graph;
   * build = buildIndex returned; load = loadIndex; retriever = createRetriever; engine = openLiveEngine (a second
   * copy of the index in this process: excluded from rss_mb and peak_rss_mb).
   */
  peak_rss_timeline_mb: Record<string, number | null>;
  heap_used_mb: number;
  array_buffers_mb: number;
  hnsw: { m: number; ef_construction: number; ef: number };
  queries: number;
  query_ms: Percentiles;
  query_engine_k_ms: Percentiles;
  /** Over all queries (evaluation questions, then seed-sentence fragments), tie-aware. */
  recall_at_10: number;
  /** Plain id overlap with the exact top 10. */
  recall_at_10_ids: number;
  /** The evaluation questions only (real questions sit farther from every chunk than fragments do: harder). */
  recall_at_10_questions: number;
  /** The fragments only. */
  recall_at_10_fragments: number;
  brute_force_ms: Percentiles;
  ef_sweep: Array<{ ef: number; recall_at_10: number; recall_at_10_questions: number; query_ms: { p50: number; p95: number } }>;
  /** openLiveEngine on this index in the same process (model + loadIndex + createRetriever): the bot's startup at this size. */
  engine_open_ms: number;
  /** Warm answers through that engine (evaluation questions, after a warm-up pass): the bot's latency at this size. */
  answer_ms: Percentiles;
  /** buildIndex again after appending a sentence to one paragraph (null when not measured, e.g. --quick). */
  incremental_ms: number | null;
  incremental_embedded: number | null;
  incremental_breakdown_ms: ScaleResult['build_breakdown_ms'] | null;
}

export interface ScaleOptions {
  targetChunks: number;
  workDir: string;
  seedSource: string;
  questions: string[];
  queryCount: number;
  modelId: string;
  modelCacheDir: string;
  /** Also time an incremental build after a one-paragraph edit (costs about one more plan + HNSW build). */
  incremental: boolean;
}

/** Generates a synthetic corpus, builds and loads its index with the real code, and measures search. Meant to run alone in a child process. */
export async function measureScale(options: ScaleOptions): Promise<ScaleResult> {
  const { targetChunks, workDir } = options;
  const corpusDir = path.join(workDir, 'corpus');
  const indexDir = path.join(workDir, 'index');
  const label = `${targetChunks.toLocaleString('en-US')} chunks`;

  progress(`${label}: generating the synthetic corpus`);
  const generated = await timed(() => writeSyntheticCorpus(corpusDir, options.seedSource, targetChunks, async (dir) => (await planIndex(dir)).store.chunks.length));
  progress(`${label}: ${generated.value.articles} articles, ${mb(generated.value.bytes)} MB written in ${Math.round(generated.ms)} ms`);

  const loadedModel = await timed(() => loadEmbedder(options.modelId, { cacheDir: options.modelCacheDir }));
  const { embedder, phases } = timedEmbedder(loadedModel.value);

  progress(`${label}: building the index (buildIndex, real embedder)`);
  const eventsBefore = hnswEvents.length;
  let lastReported = -1;
  phases.buildStart = performance.now();
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
          progress(`${label}: embedded ${done}/${total}`);
        }
      },
    }),
  );
  const buildEnd = performance.now();
  const buildEvents = hnswEvents.slice(eventsBefore);
  const summary = built.value;
  progress(`${label}: built ${summary.chunks} chunks in ${Math.round(built.ms)} ms`);

  const peakAfterBuild = peakRssMb();
  const breakdown = buildBreakdown(phases, buildEvents, buildEnd);
  const embeddedTexts = phases.calls[0]?.texts ?? 0;
  const peakAtPlanEnd = phases.calls[0]?.peakAtStart ?? null;
  const peakAtEmbedEnd = phases.calls[0]?.peakAtEnd ?? null;
  const graphBuilt = buildEvents.find((e) => e.name === 'setEf');
  const size = await folderBytes(indexDir);

  progress(`${label}: loading the index`);
  const eventsBeforeLoad = hnswEvents.length;
  const loaded = await timed(() => loadIndex(indexDir, { id: embedder.modelId, hash: embedder.modelHash }));
  const hnswRead = hnswEvents.slice(eventsBeforeLoad).find((e) => e.name === 'readIndexSync');
  const peakAfterLoad = peakRssMb();
  const blocking = eventLoopBlocking();
  const retriever = await timed(() => createRetriever(loaded.value, embedder));
  const retrieverMaxBlock = blocking.stop();
  const peakAfterRetriever = peakRssMb();
  // Peak of the bot's own steps (build, load, createRetriever), before the bench's extra measurements below.
  const peak = memory().peak_rss_mb;
  const mem = memory();
  const index = loaded.value;
  if (retriever.value.fingerprint !== index.manifest.fingerprint) throw new Error('createRetriever did not use the loaded index.'); // keeps both alive until measured

  // Parts of the build's plan phase, timed again on their own (cheap ones only: chunking is what remains).
  const readParse = await timed(() => readCorpus(corpusDir));
  const stringify = await timed(() => JSON.stringify({ articles: index.articles, chunks: index.chunks }));
  const chunksJson = await fs.readFile(path.join(indexDir, index.manifest.generation, 'chunks.json'), 'utf8');
  const parse = await timed(() => JSON.parse(chunksJson) as unknown);

  progress(`${label}: ${options.queryCount} queries: HNSW vs exact search`);
  const pool = sentencePool(options.seedSource);
  const queries = benchQueries(options.questions, pool, options.queryCount);
  const queryVectors: Float32Array[] = [];
  for (const q of queries) queryVectors.push(await embedder.embedQuery(q));

  const dims = index.manifest.model.dimensions;
  const exact = queryVectors.map((q) => exactTopK(index.vectors, dims, q, 10));
  const bruteTimes: number[] = [];
  for (const q of queryVectors) {
    const started = performance.now();
    exactTopK(index.vectors, dims, q, 10);
    bruteTimes.push(performance.now() - started);
  }

  const hnsw = index.hnsw;
  const configuredEf = index.manifest.hnsw.efSearch;
  const measureEf = (k: number, passes: number) => {
    const times: number[] = [];
    let results: Array<Array<{ label: number }>> = [];
    for (const q of queryVectors) searchHnsw(hnsw, q, k); // warm-up
    for (let pass = 0; pass < passes; pass++) {
      results = [];
      for (const q of queryVectors) {
        const started = performance.now();
        results.push(searchHnsw(hnsw, q, k));
        times.push(performance.now() - started);
      }
    }
    return { times, results };
  };

  hnsw.setEf(configuredEf);
  const atK10 = measureEf(10, 3);
  const atEngineK = measureEf(ENGINE_K, 3);
  const recall = recallAt10(atK10.results, exact, index.vectors, dims, queryVectors);
  const questionCount = Math.min(options.questions.length, queries.length);
  const questionsOnly = <T>(items: T[]) => items.slice(0, questionCount);
  const fragmentsOnly = <T>(items: T[]) => items.slice(questionCount);
  const recallQuestions = recallAt10(questionsOnly(atK10.results), questionsOnly(exact), index.vectors, dims, questionsOnly(queryVectors));
  const recallFragments = recallAt10(fragmentsOnly(atK10.results), fragmentsOnly(exact), index.vectors, dims, fragmentsOnly(queryVectors));

  const sweep: ScaleResult['ef_sweep'] = [];
  for (const ef of EF_SWEEP) {
    hnsw.setEf(ef);
    const run = measureEf(10, 1);
    const p = percentiles(run.times);
    sweep.push({
      ef,
      recall_at_10: recallAt10(run.results, exact, index.vectors, dims, queryVectors).tieAware,
      recall_at_10_questions: recallAt10(questionsOnly(run.results), questionsOnly(exact), index.vectors, dims, questionsOnly(queryVectors)).tieAware,
      query_ms: { p50: round3(p.p50), p95: round3(p.p95) },
    });
  }
  hnsw.setEf(configuredEf);


  progress(`${label}: answers through openLiveEngine`);
  const config = loadConfig({ ...process.env, EMBEDDING_MODEL: options.modelId, MODEL_CACHE_DIR: options.modelCacheDir, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir });
  const engine = await timed(() => openLiveEngine(config, createLogger('silent')));
  const answerTimes: number[] = [];
  try {
    for (const q of options.questions) await engine.value.answer(q);
    for (const q of options.questions) {
      const started = performance.now();
      await engine.value.answer(q);
      answerTimes.push(performance.now() - started);
    }
  } finally {
    await engine.value.close();
  }
  const peakAfterEngine = peakRssMb();

  let incremental: { ms: number; embedded: number; breakdown: ScaleResult['build_breakdown_ms'] } | null = null;
  if (options.incremental) {
    progress(`${label}: incremental build after a one-paragraph edit`);
    await editOneParagraph(corpusDir);
    phases.calls = [];
    const eventsBeforeIncremental = hnswEvents.length;
    phases.buildStart = performance.now();
    const again = await timed(() => buildIndex({ corpusDir, indexDir, embedder }));
    const againEnd = performance.now();
    if (!again.value.changed) throw new Error('The incremental build did not notice the edited paragraph.');
    incremental = { ms: Math.round(again.ms), embedded: again.value.embedded, breakdown: buildBreakdown(phases, hnswEvents.slice(eventsBeforeIncremental), againEnd) };
  }
  return {
    target_chunks: targetChunks,
    chunks: summary.chunks,
    articles: summary.articles,
    corpus_bytes: generated.value.bytes,
    generate_ms: Math.round(generated.ms),
    model_load_ms: Math.round(loadedModel.ms),
    build_ms: Math.round(built.ms),
    build_breakdown_ms: breakdown,
    plan_breakdown_ms: {
      read_parse: Math.round(readParse.ms),
      chunk_hash: Math.max(0, Math.round(breakdown.plan - readParse.ms - stringify.ms)),
      stringify_store: Math.round(stringify.ms),
    },
    embed_chunks_per_s: Math.round(embeddedTexts / Math.max(0.001, breakdown.embed / 1000)),
    index_bytes: size.total,
    index_files_bytes: Object.fromEntries(Object.entries(size.files).map(([file, bytes]) => [path.basename(file), bytes])),
    load_ms: Math.round(loaded.ms),
    load_breakdown_ms: { chunks_json_parse: Math.round(parse.ms), hnsw_read: hnswRead ? Math.round(hnswRead.end - hnswRead.start) : null },
    retriever_ms: Math.round(retriever.ms),
    retriever_max_block_ms: retrieverMaxBlock,
    rss_mb: mem.rss_mb,
    peak_rss_mb: peak,
    peak_rss_timeline_mb: {
      plan: peakAtPlanEnd,
      embed: peakAtEmbedEnd,
      hnsw: graphBuilt?.peakRssMb ?? null,
      build: peakAfterBuild,
      load: peakAfterLoad,
      retriever: peakAfterRetriever,
      engine: peakAfterEngine,
    },
    heap_used_mb: mem.heap_used_mb,
    array_buffers_mb: mem.array_buffers_mb,
    hnsw: { m: index.manifest.hnsw.m, ef_construction: index.manifest.hnsw.efConstruction, ef: configuredEf },
    queries: queries.length,
    query_ms: percentiles(atK10.times),
    query_engine_k_ms: percentiles(atEngineK.times),
    recall_at_10: recall.tieAware,
    recall_at_10_ids: recall.ids,
    recall_at_10_questions: recallQuestions.tieAware,
    recall_at_10_fragments: recallFragments.tieAware,
    brute_force_ms: percentiles(bruteTimes),
    ef_sweep: sweep,
    engine_open_ms: Math.round(engine.ms),
    answer_ms: percentiles(answerTimes),
    incremental_ms: incremental?.ms ?? null,
    incremental_embedded: incremental?.embedded ?? null,
    incremental_breakdown_ms: incremental?.breakdown ?? null,
  };
}

interface EmbedCall {
  start: number;
  end: number;
  texts: number;
  /** Peak RSS so far (MB) when the call started and when it returned. */
  peakAtStart: number;
  peakAtEnd: number;
}

interface EmbedPhases {
  buildStart: number;
  /** Every embedPassages call buildIndex made, in order: the first embeds the chunks, later ones other texts (vocabulary words). */
  calls: EmbedCall[];
}

/** Delegates to the real embedder and records when buildIndex called embedPassages. */
function timedEmbedder(inner: Embedder): { embedder: Embedder; phases: EmbedPhases } {
  const phases: EmbedPhases = { buildStart: 0, calls: [] };
  const embedder: Embedder = {
    modelId: inner.modelId,
    dimensions: inner.dimensions,
    modelHash: inner.modelHash,
    embedQuery: (text) => inner.embedQuery(text),
    async embedPassages(texts, onProgress) {
      const start = performance.now();
      const peakAtStart = peakRssMb();
      try {
        return await inner.embedPassages(texts, onProgress);
      } finally {
        phases.calls.push({ start, end: performance.now(), texts: texts.length, peakAtStart, peakAtEnd: peakRssMb() });
      }
    },
  };
  return { embedder, phases };
}

/**
 * Splits the build into phases from the embedder calls and the HNSW events: plan (read, parse, chunk, hash,
 * serialise: everything before the first embedding), embedding of chunks (first call) and of anything else
 * (later calls), HNSW insertion and serialisation, file writing (after serialisation), and the rest.
 */
function buildBreakdown(phases: EmbedPhases, events: HnswEvent[], buildEnd: number): ScaleResult['build_breakdown_ms'] {
  const r = (x: number) => Math.round(x);
  const [first, ...others] = phases.calls;
  const init = events.find((e) => e.name === 'initIndex');
  const setEf = init && events.find((e) => e.name === 'setEf' && e.start >= init.end);
  const write = setEf && events.find((e) => e.name === 'writeIndexSync' && e.start >= setEf.end);
  const known = instrumentationInstalled && init && setEf && write;
  const planEnd = first?.start ?? init?.start ?? buildEnd;
  const result = {
    plan: r(planEnd - phases.buildStart),
    embed: first ? r(first.end - first.start) : 0,
    embed_other: r(others.reduce((sum, c) => sum + c.end - c.start, 0)),
    embed_other_texts: others.reduce((sum, c) => sum + c.texts, 0),
    hnsw_insert: known ? r(setEf.end - init.start) : null,
    hnsw_serialize: known ? r(write.end - write.start) : null,
    write: known ? r(buildEnd - write.end) : null,
    other: null as number | null,
  };
  if (known) result.other = Math.max(0, r(buildEnd - phases.buildStart) - result.plan - result.embed - result.embed_other - result.hnsw_insert! - result.hnsw_serialize! - result.write!);
  return result;
}
/** Exact k nearest neighbours by dot product over row-major unit vectors (the ground truth for recall). */
export function exactTopK(vectors: Float32Array, dims: number, query: Float32Array, k: number): { labels: number[]; scores: number[] } {
  const labels: number[] = [];
  const scores: number[] = [];
  const count = vectors.length / dims;
  for (let i = 0; i < count; i++) {
    let s = 0;
    const offset = i * dims;
    for (let d = 0; d < dims; d++) s += vectors[offset + d]! * query[d]!;
    if (scores.length === k && s <= scores[k - 1]!) continue;
    let at = scores.length;
    while (at > 0 && scores[at - 1]! < s) at--;
    scores.splice(at, 0, s);
    labels.splice(at, 0, i);
    if (scores.length > k) {
      scores.pop();
      labels.pop();
    }
  }
  return { labels, scores };
}

function dotAt(vectors: Float32Array, dims: number, label: number, query: Float32Array): number {
  let s = 0;
  const offset = label * dims;
  for (let d = 0; d < dims; d++) s += vectors[offset + d]! * query[d]!;
  return s;
}

/**
 * Recall@10 of approximate results against exact ones. `tieAware` counts a returned chunk as correct when its
 * exact similarity is at least the 10th exact similarity (minus a float tolerance), so equally close chunks
 * (duplicate paragraphs in a recombined corpus) are not counted as misses; `ids` is the plain id overlap.
 */
function recallAt10(
  results: Array<Array<{ label: number }>>,
  exact: Array<{ labels: number[]; scores: number[] }>,
  vectors: Float32Array,
  dims: number,
  queries: Float32Array[],
): { tieAware: number; ids: number } {
  let tieHits = 0;
  let idHits = 0;
  let wanted = 0;
  results.forEach((found, qi) => {
    const truth = exact[qi]!;
    const k = truth.labels.length;
    if (k === 0) return;
    wanted += k;
    const threshold = truth.scores[k - 1]! - TIE_EPSILON;
    const truthSet = new Set(truth.labels);
    const top = found.slice(0, k);
    tieHits += Math.min(k, top.filter((f) => dotAt(vectors, dims, f.label, queries[qi]!) >= threshold).length);
    idHits += top.filter((f) => truthSet.has(f.label)).length;
  });
  return { tieAware: wanted ? round3(tieHits / wanted) : 1, ids: wanted ? round3(idHits / wanted) : 1 };
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
