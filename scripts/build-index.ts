import path from 'node:path';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../src/config/config.ts';
import { loadEnvFile } from '../src/config/loadEnv.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import { buildIndex } from '../src/index/buildIndex.ts';
import { checkIndex } from '../src/index/checkIndex.ts';
import { watchFolder } from '../src/index/watchFolder.ts';
import type { BuildSummary } from '../src/index/types.ts';
import { describeError } from '../src/errors/appError.ts';
import { runMain } from '../src/errors/runMain.ts';

const program = new Command()
  .name('build-index')
  .description('Build the search index in index/ from the articles in corpus/ (incrementally).')
  .option('--json', 'print the summary as one JSON object on stdout')
  .option('--check', 'exit 1 when the index does not match the corpus and the model')
  .option('--watch', 'rebuild whenever the corpus changes')
  .option('--full', 'embed every chunk again instead of reusing stored vectors')
  .option('--corpus <dir>', 'corpus folder (default: CORPUS_DIR or corpus/)')
  .option('--out <dir>', 'index folder (default: INDEX_DIR or index/)')
  .showHelpAfterError();

runMain(async () => {
  program.parse();
  const options = program.opts<{ json?: boolean; check?: boolean; watch?: boolean; full?: boolean; corpus?: string; out?: string }>();
  loadEnvFile();
  const config = loadConfig();
  const corpusDir = options.corpus ? path.resolve(options.corpus) : config.paths.corpus;
  const indexDir = options.out ? path.resolve(options.out) : config.paths.index;
  const embedder = await loadEmbedder(config.embeddingModel, { cacheDir: config.paths.modelCache });

  if (options.check) {
    const result = await checkIndex(corpusDir, indexDir, embedder);
    if (!result.upToDate) {
      process.stderr.write(`${result.reason}\n`);
      return 1;
    }
    if (!options.json) process.stderr.write(`The index in ${shown(indexDir)}/ is up to date.\n`);
    else process.stdout.write(`${JSON.stringify({ upToDate: true })}\n`);
    return 0;
  }

  const build = async () => {
    const progress = progressReporter(Boolean(options.json));
    try {
      const summary = await buildIndex({ corpusDir, indexDir, embedder, full: options.full, onProgress: progress.update });
      progress.stop();
      process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `${describeSummary(summary, indexDir)}\n`);
    } finally {
      progress.stop();
    }
  };

  if (!options.watch) return build();
  await build().catch((error: unknown) => process.stderr.write(`${describeError(error)}\n`));
  process.stderr.write(`Watching ${shown(corpusDir)}/ for changes (Ctrl+C to stop).\n`);
  watchFolder(corpusDir, () => build().catch((error: unknown) => void process.stderr.write(`Build failed, index unchanged: ${describeError(error)}\n`)));
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
});

function shown(dir: string): string {
  return path.relative(process.cwd(), dir) || '.';
}

function describeSummary(s: BuildSummary, indexDir: string): string {
  const what = `${s.articles} article(s), ${s.sections} sections, ${s.chunks} chunks`;
  if (!s.changed) return `Index in ${shown(indexDir)}/ is up to date: ${what} (${(s.ms / 1000).toFixed(1)} s).`;
  return `Indexed ${what}: ${s.parsed} article(s) parsed, ${s.embedded} chunk(s) embedded, ${s.reused} reused, ${s.removed} removed, in ${(s.ms / 1000).toFixed(1)} s → ${shown(indexDir)}/`;
}

/** A progress bar on a terminal; plain lines at every tenth elsewhere (CI logs); nothing with --json on a non-terminal. */
function progressReporter(json: boolean): { update: (done: number, total: number) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'Indexing [{bar}] {value}/{total} articles', clearOnComplete: true }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update(done, total) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      const tenth = Math.floor((done / total) * 10);
      if (tenth !== lastTenth && !json) process.stderr.write(`Indexing: ${done}/${total} articles\n`);
      lastTenth = tenth;
    },
    stop: () => undefined,
  };
}
