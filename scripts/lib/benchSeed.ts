import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT, loadConfig, type Config } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { openLiveEngine, type LiveAnswerEngine } from '../../src/service/liveEngine.ts';
import { buildIndex } from '../../src/index/buildIndex.ts';
import type { Embedder } from '../../src/embeddings/types.ts';
import { buildNaivePipeline } from './naiveBaseline.ts';
import { median, memory, percentiles, progress, round2, timed, type Percentiles } from './benchStats.ts';

/** The sentence appended to one paragraph for the incremental build. */
const EDIT = ' This sentence was added by the benchmark.';

export interface SeedResult {
  articles: number;
  chunks: number;
  model_load_ms: number;
  build_ms: number;
  incremental_ms: number;
  /** Chunks embedded again by the incremental build (the edited paragraph's). */
  incremental_embedded: number;
  /** Warm answers through the answer engine, after one warm-up pass. */
  answer_ms: Percentiles;
  /** Median wall time from spawning `npm run -s ask -- --json "…"` (what users run: compiled, through npm) to its answer on stdout. */
  cold_start_ms: number;
  /** Median time until that process exited. */
  cold_start_exit_ms: number;
  cold_start_runs_ms: number[];
  /** The same without npm: the command the npm script runs (`node --import ./scripts/ensure-built.mjs dist/src/terminal/ask.js …`). */
  cold_start_node: ColdStart;
  /** The same from the TypeScript source through tsx (`node --import tsx src/terminal/ask.ts`), as a yardstick. */
  cold_start_tsx: ColdStart;
  /**
   * What any such process pays before running project code (medians): `node -e 0`, with the dist/ staleness check
   * (`node --import ./scripts/ensure-built.mjs -e 0`), with tsx (`node --import tsx -e 0`), and npm running a script (`npm run -s env`).
   */
  cold_start_floor_ms: { node: number; node_guard: number; node_tsx: number; npm: number };
  rss_mb: number;
  peak_rss_mb: number;
  /** The running engine rebuilds after an edit while questions keep coming (what /reindex and the watcher do). */
  live_reindex: LiveReindexResult;
}

export interface ColdStart {
  /** Median to the answer on stdout, and to exit. */
  printed_ms: number;
  exited_ms: number;
  runs_ms: number[];
}

export interface LiveReindexResult {
  rebuild_ms: number;
  /** Loading the new generation and swapping it in (the engine's own measurement). */
  swap_ms: number;
  /** Answers started while the rebuild ran, back to back. */
  answer_ms_during_rebuild: Percentiles;
  failed_answers: number;
}

export interface BaselineResult {
  description: string;
  chunks: number;
  build_ms: number;
  answer_ms: Percentiles;
}

export interface SeedSetup {
  corpusDir: string;
  indexDir: string;
  config: Config;
  /** Environment for child processes that must use the temporary corpus and index. */
  childEnv: NodeJS.ProcessEnv;
}

/** A copy of corpus/ and an empty index folder under `workDir`, and a configuration pointing at them. */
export async function seedSetup(workDir: string): Promise<SeedSetup> {
  const corpusDir = path.join(workDir, 'corpus');
  const indexDir = path.join(workDir, 'index');
  await fs.mkdir(indexDir, { recursive: true });
  await fs.cp(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
  const overrides = { EMBEDDING_MODEL: 'bundled', CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, WATCH_CORPUS: 'false' };
  const config = loadConfig({ ...process.env, ...overrides });
  return { corpusDir, indexDir, config, childEnv: { ...process.env, ...overrides, MODEL_CACHE_DIR: config.paths.modelCache } };
}

export async function measureSeed(setup: SeedSetup, embedder: Embedder, modelLoadMs: number, questions: string[], rounds: number, coldRuns: number): Promise<SeedResult> {
  const { corpusDir, indexDir, config } = setup;

  progress('seed: building the index from scratch');
  const first = await timed(() => buildIndex({ corpusDir, indexDir, embedder }));

  progress('seed: editing one paragraph, building again (incremental)');
  await editOneParagraph(corpusDir);
  const second = await timed(() => buildIndex({ corpusDir, indexDir, embedder }));
  if (!second.value.changed) throw new Error('The incremental build did not notice the edited paragraph.');

  progress(`seed: ${questions.length} questions × ${rounds} through the answer engine (after one warm-up pass)`);
  const engine = await openLiveEngine(config, createLogger('silent'));
  const times: number[] = [];
  let liveReindex: LiveReindexResult | undefined;
  try {
    for (const q of questions) await engine.answer(q);
    for (let round = 0; round < rounds; round++) {
      for (const q of questions) {
        const started = performance.now();
        await engine.answer(q);
        times.push(performance.now() - started);
      }
    }
    progress('seed: live reindex after another edit, answering questions meanwhile');
    liveReindex = await measureLiveReindex(engine, corpusDir, questions);
  } finally {
    await engine.close();
  }
  const mem = memory();

  progress(`seed: cold start, ${coldRuns} runs each of npm run ask, its node command, and tsx`);
  const variants = (question: string): Array<[keyof typeof cold, string, string[]]> => [
    ['npm', NPM, ['run', '-s', 'ask', '--', '--json', question]],
    ['node', process.execPath, [...COMPILED_ASK, '--json', question]],
    ['tsx', process.execPath, ['--import', 'tsx', 'src/terminal/ask.ts', '--json', question]],
  ];
  const cold = { npm: [] as Timing[], node: [] as Timing[], tsx: [] as Timing[] };
  // One unmeasured run of each first: it rebuilds dist/ if src/ changed, fills tsx's cache and the file cache.
  for (const [, command, args] of variants(questions[0]!)) await coldStart(command, args, setup.childEnv, questions[0]!);
  // Interleaved, so a burst of load on the shared machine hits every variant alike.
  for (let i = 0; i < coldRuns; i++) {
    const question = questions[i % questions.length]!;
    for (const [name, command, args] of variants(question)) cold[name].push(await coldStart(command, args, setup.childEnv, question));
  }
  const floor = { node: [] as number[], node_guard: [] as number[], node_tsx: [] as number[], npm: [] as number[] };
  for (let i = 0; i < Math.min(3, coldRuns); i++) {
    floor.node.push((await runChild(process.execPath, ['-e', '0'], setup.childEnv)).exited);
    floor.node_guard.push((await runChild(process.execPath, [...COMPILED_ASK.slice(0, -1), '-e', '0'], setup.childEnv)).exited);
    floor.node_tsx.push((await runChild(process.execPath, ['--import', 'tsx', '-e', '0'], setup.childEnv)).exited);
    floor.npm.push((await runChild(NPM, ['run', '-s', 'env'], setup.childEnv)).exited);
  }
  const npm = summarizeColdStart(cold.npm);

  return {
    articles: second.value.articles,
    chunks: second.value.chunks,
    model_load_ms: Math.round(modelLoadMs),
    build_ms: Math.round(first.ms),
    incremental_ms: Math.round(second.ms),
    incremental_embedded: second.value.embedded,
    answer_ms: percentiles(times),
    cold_start_ms: npm.printed_ms,
    cold_start_exit_ms: npm.exited_ms,
    cold_start_runs_ms: npm.runs_ms,
    cold_start_node: summarizeColdStart(cold.node),
    cold_start_tsx: summarizeColdStart(cold.tsx),
    cold_start_floor_ms: {
      node: Math.round(median(floor.node)),
      node_guard: Math.round(median(floor.node_guard)),
      node_tsx: Math.round(median(floor.node_tsx)),
      npm: Math.round(median(floor.npm)),
    },
    rss_mb: mem.rss_mb,
    peak_rss_mb: mem.peak_rss_mb,
    live_reindex: liveReindex!,
  };
}

/** Questions per second asked while the engine rebuilds: a busy server, far above what one guild sends. */
const QUESTIONS_PER_SECOND_DURING_REBUILD = 50;

/** Edits the corpus under a running engine and rebuilds, while questions keep arriving at a steady rate. */
async function measureLiveReindex(engine: LiveAnswerEngine, corpusDir: string, questions: string[]): Promise<LiveReindexResult> {
  let swapMs = NaN;
  engine.onSwap((info) => (swapMs = info.ms));
  await editOneParagraph(corpusDir);
  const latencies: number[] = [];
  let failed = 0;
  const inFlight: Array<Promise<unknown>> = [];
  let next = 0;
  // Arrivals on a timer, as from Discord: a back-to-back loop would starve the build of the event loop.
  const arrivals = setInterval(() => {
    const started = performance.now();
    inFlight.push(
      engine
        .answer(questions[next++ % questions.length]!)
        .catch(() => failed++)
        .finally(() => latencies.push(performance.now() - started)),
    );
  }, 1000 / QUESTIONS_PER_SECOND_DURING_REBUILD);
  const { ms } = await timed(() => engine.rebuild()).finally(() => clearInterval(arrivals));
  await Promise.all(inFlight);
  return { rebuild_ms: Math.round(ms), swap_ms: swapMs, answer_ms_during_rebuild: percentiles(latencies), failed_answers: failed };
}

/** Appends a sentence to the longest paragraph of the first corpus file (one paragraph, one section). */
export async function editOneParagraph(corpusDir: string): Promise<void> {
  const files = (await fs.readdir(corpusDir)).filter((f) => /\.(txt|md)$/i.test(f) && f.toLowerCase() !== 'readme.md').sort();
  const file = path.join(corpusDir, files[0]!);
  const source = await fs.readFile(file, 'utf8');
  const paragraphs = source.split(/\n\s*\n/).filter((p) => /[.!?]["”)]?\s*$/.test(p.trim()) && !p.includes('\n'));
  const target = paragraphs.sort((a, b) => b.length - a.length)[0];
  if (!target) throw new Error(`No paragraph to edit in ${files[0]}.`);
  const trimmed = target.trimEnd();
  await fs.writeFile(file, source.replace(trimmed, `${trimmed}${EDIT}`));
}

/** The npm on PATH, as a user's shell finds it. */
const NPM = 'npm';
/** The node arguments of package.json's `ask` script (what `npm run ask` runs), minus the question. */
const COMPILED_ASK: string[] = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.ask!.split(' ').slice(1);

type Timing = { printed: number; exited: number };

/** Spawns `command …args` and times the first complete stdout line and the exit. */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ printed: number; exited: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let printed = 0;
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      stdout += data;
      if (!printed && stdout.includes('\n')) printed = performance.now() - started;
    });
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    child.on('error', reject);
    child.on('close', (code) => {
      const exited = performance.now() - started;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`));
      else resolve({ printed: printed || exited, exited, stdout, stderr });
    });
  });
}

async function coldStart(command: string, args: string[], env: NodeJS.ProcessEnv, question: string): Promise<Timing> {
  const run = await runChild(command, args, env);
  const answer = JSON.parse(run.stdout.split('\n')[0]!) as { question?: string };
  if (answer.question !== question) throw new Error(`${command} ${args.join(' ')} printed an unexpected answer: ${run.stdout.slice(0, 200)}`);
  return { printed: round2(run.printed), exited: round2(run.exited) };
}

function summarizeColdStart(runs: Timing[]): ColdStart {
  return {
    printed_ms: Math.round(median(runs.map((r) => r.printed))),
    exited_ms: Math.round(median(runs.map((r) => r.exited))),
    runs_ms: runs.map((r) => Math.round(r.printed)),
  };
}

/** The naive pipeline (scripts/lib/naiveBaseline.ts) on the same seed corpus, with the same embedder. */
export async function measureBaseline(corpusDir: string, embedder: Embedder, questions: string[], rounds: number): Promise<BaselineResult> {
  progress('baseline: naive pipeline (1000-char windows, 200 overlap, dense only)');
  const files = (await fs.readdir(corpusDir)).filter((f) => /\.(txt|md)$/i.test(f) && f.toLowerCase() !== 'readme.md').sort();
  const sources = await Promise.all(files.map((f) => fs.readFile(path.join(corpusDir, f), 'utf8')));
  const built = await timed(() => buildNaivePipeline(sources, embedder));
  const naive = built.value;
  for (const q of questions) await naive.top(q, 3);
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const q of questions) {
      const started = performance.now();
      await naive.top(q, 3);
      times.push(performance.now() - started);
    }
  }
  return {
    description: 'fixed 1000-char windows, 200 overlap, dense only (brute force), top 3',
    chunks: naive.chunks.length,
    build_ms: Math.round(built.ms),
    answer_ms: percentiles(times),
  };
}
