/**
 * `npm run eval`: answer quality on the evaluation set (tests/eval/, see its README), by the one answer engine,
 * next to two yardsticks measured in the same run: the naive pipeline (fixed windows, dense only) and MiniSearch
 * with default options over raw paragraphs.
 *
 * The dev split is what tuning looks at (`--verbose` lists its misses by cause). The test split is held aside:
 * `--test` adds its figures, never its individual misses; run it once, on a frozen configuration. `--holdout` does the
 * same for the holdout set, written after the test split had been reported, and `--fresh` for the fresh set, written
 * after the holdout had been reported (tests/eval/README.md).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../src/config/config.ts';
import { loadEnvFile } from '../src/config/loadEnv.ts';
import { createLogger } from '../src/log/logger.ts';
import { openLiveEngine } from '../src/service/liveEngine.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import { runMain } from '../src/errors/runMain.ts';
import { DEFAULT_TUNING, parseTuningSetting, withTuning } from '../src/config/tuning.ts';
import { isArticleFileName } from '../src/corpus/parse.ts';
import { buildNaivePipeline } from './lib/naiveBaseline.ts';
import { buildMiniSearchBaseline } from './lib/miniSearchBaseline.ts';
import { hits, readSplit, type EvalSplit, type Split } from './lib/evalSet.ts';
import { evaluateSplit, type MissCause, type Report } from './lib/evalRun.ts';

const program = new Command()
  .name('eval')
  .description('Measure answer quality on tests/eval/ against the naive baseline and MiniSearch defaults.')
  .option('--json', 'print one JSON object on stdout')
  .option('--verbose', 'list every miss of the dev split, by cause')
  .option('--test', 'also report the held-aside test split (figures only; run once, on a frozen configuration)')
  .option('--holdout', 'also report the holdout set (figures only; run once, on a frozen configuration)')
  .option('--fresh', 'also report the fresh set (figures only; run once, on a frozen configuration)')
  .option('--set <path=value>', 'override a tuning value (src/config/tuning.ts), e.g. reader.abstain.weakBm25=4; repeatable', (v: string, all: string[]) => [...all, v], [] as string[])
  .showHelpAfterError();

/** Sets reported by their figures only, once, on a frozen configuration. */
const HELD_ASIDE = ['test', 'holdout', 'fresh'] as const;

interface Yardstick {
  hit_at_1: number;
  hit_at_3: number;
}

runMain(async () => {
  program.parse();
  const options = program.opts<{ json?: boolean; verbose?: boolean; test?: boolean; holdout?: boolean; fresh?: boolean; set: string[] }>();
  loadEnvFile();
  const config = loadConfig();
  let tuning = DEFAULT_TUNING;
  for (const setting of options.set) tuning = withTuning(parseTuningSetting(setting), tuning);
  const splits: Split[] = ['dev', ...HELD_ASIDE.filter((split) => options[split])];
  const sets = await Promise.all(splits.map(readSplit));

  const engine = await openLiveEngine(config, createLogger('warn'), { tuning });
  const reports: Partial<Record<Split, Report>> = {};
  for (const set of sets) reports[set.split] = await evaluateSplit(engine, set);
  await engine.close();
  const yardsticks = await measureYardsticks(config.paths.corpus, config.embeddingModel, config.paths.modelCache, sets);

  if (options.json) {
    const json: Record<string, unknown> = { ...reports, yardsticks, tuning: options.set };
    // The held-aside sets' figures only: their individual misses are never shown.
    for (const split of HELD_ASIDE) if (reports[split]) json[split] = { ...reports[split], misses: undefined };
    process.stdout.write(`${JSON.stringify(json)}\n`);
    return;
  }
  process.stdout.write(`${formatReport(reports, yardsticks, options.set, Boolean(options.verbose))}\n`);
});

async function measureYardsticks(corpusDir: string, modelId: string, cacheDir: string, sets: EvalSplit[]) {
  const files = (await fs.readdir(corpusDir)).filter(isArticleFileName);
  const sources = await Promise.all(files.map((f) => fs.readFile(path.join(corpusDir, f), 'utf8')));
  const embedder = await loadEmbedder(modelId, { cacheDir });
  const naive = await buildNaivePipeline(sources, embedder);
  const keyword = buildMiniSearchBaseline(sources);
  const result: Record<string, { naive: Yardstick; minisearch: Yardstick }> = {};
  for (const set of sets) {
    const score = async (top: (question: string) => Promise<string[]> | string[]): Promise<Yardstick> => {
      let hit1 = 0, hit3 = 0;
      for (const q of set.questions) {
        const found = await top(q.question);
        if (found[0] !== undefined && hits(found[0], q.answers)) hit1++;
        if (found.some((t) => hits(t, q.answers))) hit3++;
      }
      const n = set.questions.length || 1;
      return { hit_at_1: Math.round((hit1 / n) * 1000) / 1000, hit_at_3: Math.round((hit3 / n) * 1000) / 1000 };
    };
    result[set.split] = { naive: await score((q) => naive.top(q, 3)), minisearch: await score((q) => keyword.top(q, 3)) };
  }
  return result;
}

function formatReport(reports: Partial<Record<Split, Report>>, yardsticks: Record<string, { naive: Yardstick; minisearch: Yardstick }>, settings: string[], verbose: boolean): string {
  const splits = (['dev', ...HELD_ASIDE] as const).filter((s) => reports[s]);
  const columns = splits.map((s) => (s === 'dev' ? 'dev' : `${s} (held aside)`));
  const rows: Array<[string, (r: Report) => string]> = [
    ['answerable questions', (r) => String(r.questions)],
    ['hit@1', (r) => r.hit_at_1.toFixed(3)],
    ['hit@3', (r) => r.hit_at_3.toFixed(3)],
    ['MRR', (r) => r.mrr.toFixed(3)],
    ['highlight accuracy', (r) => r.highlight_accuracy.toFixed(3)],
    ['answerable abstained', (r) => r.answerable_abstained.toFixed(3)],
    ['off-topic abstention recall', (r) => `${r.abstention_recall.toFixed(3)} (${r.offtopic} questions)`],
    ['  near-misses / unrelated', (r) => `${r.near_miss_recall.toFixed(3)} / ${r.unrelated_recall.toFixed(3)}`],
    ['abstention precision', (r) => r.abstention_precision.toFixed(3)],
    ['follow-ups right first', (r) => `${r.followup_accuracy.toFixed(3)} (${r.followup_turns} turns)`],
    ['follow-ups in top 3', (r) => r.followup_at_3.toFixed(3)],
    ['latency p50 / p95 ms', (r) => `${r.latency_ms.p50} / ${r.latency_ms.p95}`],
  ];
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [settings.length > 0 ? `tuning overrides: ${settings.join(', ')}` : 'tuning: defaults (src/config/tuning.ts)', ''];
  lines.push(`${pad('metric', 32)}${columns.map((c) => pad(c, 26)).join('')}`);
  for (const [name, f] of rows) lines.push(`${pad(name, 32)}${splits.map((s) => pad(f(reports[s]!), 26)).join('')}`);
  lines.push('', 'yardsticks in the same run, hit@1 / hit@3:');
  for (const s of splits) {
    const y = yardsticks[s]!;
    lines.push(`  ${pad(s, 6)} naive (1000-char windows, dense only) ${y.naive.hit_at_1.toFixed(3)} / ${y.naive.hit_at_3.toFixed(3)}; MiniSearch defaults over paragraphs ${y.minisearch.hit_at_1.toFixed(3)} / ${y.minisearch.hit_at_3.toFixed(3)}`);
  }
  for (const s of splits) {
    const r = reports[s]!;
    const causes = (Object.entries(r.misses_by_cause) as Array<[MissCause, number]>).map(([c, n]) => `${c} ${n}`).join(', ');
    lines.push('', `${s}: misses by cause: ${causes}`);
    lines.push(`${s}: hit@1 by answer type: ${Object.entries(r.by_asks).map(([k, v]) => `${k} ${v.hit_at_1.toFixed(2)} (${v.n})`).join(', ')}`);
    lines.push(`${s}: hit@1 by wording: ${Object.entries(r.by_style).map(([k, v]) => `${k} ${v.hit_at_1.toFixed(2)} (${v.n})`).join(', ')}`);
  }
  const dev = reports.dev;
  if (verbose && dev) {
    lines.push('', 'dev misses:');
    for (const cause of Object.keys(dev.misses_by_cause) as MissCause[]) {
      for (const m of dev.misses.filter((x) => x.cause === cause)) lines.push(`  ${cause.padEnd(10)} ${m.id} "${m.question}" ${m.detail}`);
    }
  }
  return lines.join('\n');
}
