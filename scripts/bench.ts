import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import { DEFAULT_HNSW } from '../src/index/hnsw.ts';
import { runMain } from '../src/errors/runMain.ts';
import { measureBaseline, measureSeed, seedSetup } from './lib/benchSeed.ts';
import type { ScaleResult } from './lib/benchScale.ts';
import { HUGE_SIZE, SCALE_SIZES } from './lib/benchCorpus.ts';
import { evaluateTargets, formatReport, type BenchReport, type Machine } from './lib/benchReport.ts';
import { progress, timed } from './lib/benchStats.ts';
import { formatProfile, summarizeProfile } from './lib/benchProfile.ts';

/**
 * `npm run bench`: speed, memory and HNSW quality, measured in one run on this machine.
 *
 *   seed      the shipped corpus/: build from scratch, incremental build after a one-paragraph edit, warm answer
 *             latency through the answer engine, cold start of `npm run ask` (compiled, with and without npm, and
 *             from source through tsx), RSS
 *   baseline  the naive pipeline (scripts/lib/naiveBaseline.ts) on the same corpus
 *   scale     synthetic corpora whose vocabulary grows as real text's does (scripts/lib/benchCorpus.ts) of ~1,000, ~10,000 and ~100,000 chunks (and ~1,000,000
 *             with --huge): a full build with the bundled embedder and an incremental one after a one-paragraph
 *             edit (scripts/lib/benchScale.ts, in a child process), then the bot's side in a fresh process
 *             (scripts/lib/benchServe.ts): opening the engine, warm answers, RSS, HNSW latency and recall@10
 *             against exact search; and how each cost grows from one size to the next
 *
 * --quick measures the seed, 1,000 and 10,000 chunks (no incremental build at scale), in about a minute.
 * --json prints one JSON object on stdout; progress always goes to stderr. --profile DIR adds a V8 CPU profile
 * of each scale process and prints its hot spots. Timings are wall clock on a shared machine: the report
 * records the load average so a busy run can be recognised.
 *
 * RSS: the seed figures are this process's (model loaded twice: once for the builds, once by the engine). At scale,
 * the bot's RSS is that of the serve process after opening the engine, answering and a full GC.
 */

const program = new Command()
  .name('bench')
  .description('Measure build time, answer latency, cold start, memory and HNSW recall (seed corpus, 1k, 10k and 100k synthetic chunks).')
  .option('--json', 'print one JSON object on stdout (progress goes to stderr)')
  .option('--quick', 'seed corpus, 1,000 and 10,000 chunks only (about a minute)')
  .option('--huge', 'also 1,000,000 chunks (about half an hour; not in CI)')
  .option('--profile <dir>', 'write a V8 CPU profile (.cpuprofile) of each scale process into <dir> and print where the time went (stderr)')
  .option('--keep', 'keep the temporary corpora and indexes (their folder is printed on stderr)')
  .addOption(new Option('--tiny', 'seed corpus and 1,500 chunks, few repetitions (for the test suite)').hideHelp())
  .addOption(new Option('--sizes <list>', 'comma-separated chunk counts for the scale section').hideHelp())
  .showHelpAfterError();

interface Options {
  json?: boolean;
  quick?: boolean;
  huge?: boolean;
  tiny?: boolean;
  sizes?: string;
  profile?: string;
  keep?: boolean;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib', 'benchScaleChild.ts');
/** Timed questions: the evaluation set's dev split (the test split is only ever read by `npm run eval -- --test`). */
const QUESTIONS = path.join(PROJECT_ROOT, 'tests/eval/dev/questions.json');
const SEED_ARTICLE = path.join(PROJECT_ROOT, 'corpus/great-purge.txt');

runMain(async () => {
  program.parse();
  const options = program.opts<Options>();
  const mode: BenchReport['mode'] = options.sizes ? 'custom' : options.tiny ? 'tiny' : options.quick ? 'quick' : 'full';
  const sizes = options.sizes
    ? options.sizes.split(',').map((s) => Number.parseInt(s.trim(), 10)).filter((n) => n > 0)
    : mode === 'tiny' ? [1_500] : mode === 'quick' ? [1_000, 10_000] : [...SCALE_SIZES, ...(options.huge ? [HUGE_SIZE] : [])];
  const rounds = mode === 'tiny' ? 1 : 3;
  const coldRuns = mode === 'tiny' ? 1 : mode === 'quick' ? 3 : 5;
  const queryCount = mode === 'tiny' ? 100 : 200;

  const loadAtStart = os.loadavg()[0]!;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'quote-bench-'));
  if (options.keep) progress(`working in ${root}`);
  if (options.profile) await fs.mkdir(path.resolve(options.profile), { recursive: true });
  try {
    const questions = (JSON.parse(await fs.readFile(QUESTIONS, 'utf8')) as Array<{ question: string }>).map((q) => q.question);
    const setup = await seedSetup(path.join(root, 'seed'));
    progress('loading the embedding model');
    const model = await timed(() => loadEmbedder(setup.config.embeddingModel, { cacheDir: setup.config.paths.modelCache }));
    const seed = await measureSeed(setup, model.value, model.ms, questions, rounds, coldRuns);
    const baseline = await measureBaseline(setup.corpusDir, model.value, questions, rounds);

    const scale: ScaleResult[] = [];
    for (const size of sizes) {
      scale.push(
        await runScaleChild({
          chunks: size,
          workDir: path.join(root, `scale-${size}`),
          queryCount,
          modelCache: setup.config.paths.modelCache,
          profileDir: options.profile ? path.resolve(options.profile) : undefined,
          keep: Boolean(options.keep),
          // An incremental build at scale costs about one more plan + HNSW build: left out of --quick's minute.
          incremental: mode !== 'quick',
        }),
      );
      if (options.profile) {
        const file = path.join(path.resolve(options.profile), profileName(size));
        process.stderr.write(`${formatProfile(`${size.toLocaleString('en-US')} chunks (${file})`, await summarizeProfile(file))}\n`);
      }
    }

    const hnsw = scale[0]?.serve.hnsw ?? { m: DEFAULT_HNSW.m, ef_construction: DEFAULT_HNSW.efConstruction, ef: DEFAULT_HNSW.efSearch };
    const report: BenchReport = {
      mode,
      machine: machine(loadAtStart),
      hnsw,
      seed,
      baseline,
      scale,
      targets: evaluateTargets(seed, scale),
      total_ms: Math.round(performance.now()),
    };
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  } finally {
    if (!options.keep) await fs.rm(root, { recursive: true, force: true });
  }
});

function machine(loadAtStart: number): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    load_avg: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(os.loadavg()[0]! * 100) / 100 },
  };
}

const profileName = (chunks: number) => `bench-${chunks}.cpuprofile`;

/** Runs one scale point in its own process (isolated RSS), forwarding its progress to stderr. */
function runScaleChild(o: { chunks: number; workDir: string; queryCount: number; modelCache: string; profileDir?: string; keep: boolean; incremental: boolean }): Promise<ScaleResult> {
  const nodeArgs = [
    '--expose-gc',
    ...(o.profileDir ? ['--cpu-prof', '--cpu-prof-dir', o.profileDir, '--cpu-prof-name', profileName(o.chunks)] : []),
    '--import',
    'tsx',
    CHILD,
  ];
  const args = ['--chunks', String(o.chunks), '--work', o.workDir, '--seed', SEED_ARTICLE, '--questions', QUESTIONS, '--queries', String(o.queryCount), '--model', 'bundled', '--model-cache', o.modelCache, ...(o.keep ? ['--keep'] : []), ...(o.incremental ? ['--incremental'] : [])];
  progress(`scale: ${o.chunks.toLocaleString('en-US')} chunks (child process)`);
  return new Promise((resolve, reject) => {
    let stdout = '';
    const child = spawn(process.execPath, [...nodeArgs, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`The scale benchmark for ${o.chunks} chunks failed (exit code ${code}); see its output above.`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ScaleResult);
      } catch {
        reject(new Error(`The scale benchmark for ${o.chunks} chunks printed no result: ${stdout.slice(0, 200)}`));
      }
    });
  });
}
