import fs from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { PROJECT_ROOT, loadConfig } from '../src/config/config.ts';
import { loadEnvFile } from '../src/config/loadEnv.ts';
import { createLogger } from '../src/log/logger.ts';
import { openLiveEngine } from '../src/service/liveEngine.ts';
import type { AnswerEngine } from '../src/answer/engine.ts';
import type { Answer, Turn } from '../src/answer/types.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import { runMain } from '../src/errors/runMain.ts';
import { turnOf } from '../src/answer/followUp.ts';
import { parseTuningSetting, withTuning, type TuningOverrides } from '../src/config/tuning.ts';
import { buildNaivePipeline } from './lib/naiveBaseline.ts';

type Split = 'dev' | 'test';
interface Question { id: string; question: string; gold: string; section: string; split: Split; kind: string }
interface OffTopic { id: string; question: string; split: Split }
interface Conversation { id: string; split: Split; turns: Array<{ question: string; gold: string; standalone?: boolean }> }

interface Report {
  questions: number;
  hit_at_1: number;
  hit_at_3: number;
  mrr: number;
  highlight_accuracy: number;
  answerable_abstained: number;
  offtopic: number;
  abstention_precision: number;
  abstention_recall: number;
  followup_turns: number;
  followup_accuracy: number;
  latency_ms: { p50: number; p95: number };
  failures: string[];
}

const program = new Command()
  .name('eval')
  .description('Measure answer quality on tests/eval/ (dev and held-out test splits) against the naive baseline.')
  .option('--json', 'print one JSON object on stdout')
  .option('--verbose', 'list every miss')
  .option('--set <path=value>', 'override a tuning value (src/config/tuning.ts), e.g. reader.abstain.weakBm25=4; repeatable', collect, []);

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

runMain(async () => {
  program.parse();
  const options = program.opts<{ json?: boolean; verbose?: boolean; set: string[] }>();
  const overrides = options.set.reduce<TuningOverrides>((all, setting) => withTuning(parseTuningSetting(setting), withTuning(all)), {});
  loadEnvFile();
  const config = loadConfig();
  const dir = path.join(PROJECT_ROOT, 'tests/eval');
  const read = async <T>(file: string) => JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')) as T;
  const questions = await read<Question[]>('questions.json');
  const offtopic = await read<OffTopic[]>('offtopic.json');
  const conversations = await read<Conversation[]>('conversations.json');
  const engine = await openLiveEngine(config, createLogger('warn'), { tuning: withTuning(overrides) });

  const result: Record<string, Report> = {};
  for (const split of ['dev', 'test'] as const) {
    result[split] = await evaluate(
      engine,
      questions.filter((q) => q.split === split),
      offtopic.filter((q) => q.split === split),
      conversations.filter((c) => c.split === split),
    );
  }
  const baseline = await evaluateBaseline(config.paths.corpus, config.embeddingModel, config.paths.modelCache, questions);
  await engine.close();

  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...result, baseline })}\n`);
    return;
  }
  const rows: Array<[string, (r: Report) => string]> = [
    ['questions', (r) => String(r.questions)],
    ['hit@1', (r) => r.hit_at_1.toFixed(3)],
    ['hit@3', (r) => r.hit_at_3.toFixed(3)],
    ['MRR', (r) => r.mrr.toFixed(3)],
    ['highlight accuracy', (r) => r.highlight_accuracy.toFixed(3)],
    ['answerable abstained', (r) => r.answerable_abstained.toFixed(3)],
    ['off-topic abstention precision', (r) => r.abstention_precision.toFixed(3)],
    ['off-topic abstention recall', (r) => `${r.abstention_recall.toFixed(3)} (${r.offtopic} questions)`],
    ['follow-up accuracy', (r) => `${r.followup_accuracy.toFixed(3)} (${r.followup_turns} turns)`],
    ['latency p50 / p95 ms', (r) => `${r.latency_ms.p50} / ${r.latency_ms.p95}`],
  ];
  const dev = result.dev!;
  const test = result.test!;
  const lines = [`${'metric'.padEnd(32)}${'dev'.padEnd(22)}test (held aside)`];
  for (const [name, f] of rows) lines.push(`${name.padEnd(32)}${f(dev).padEnd(22)}${f(test)}`);
  lines.push('', `naive baseline (1000-char windows, 200 overlap, dense only, all ${baseline.questions} questions): hit@1 ${baseline.hit_at_1.toFixed(3)}, hit@3 ${baseline.hit_at_3.toFixed(3)}`);
  if (options.verbose) for (const split of ['dev', 'test'] as const) for (const f of result[split]!.failures) lines.push(`[${split}] ${f}`);
  process.stdout.write(`${lines.join('\n')}\n`);
});

function contains(text: string, gold: string): boolean {
  return text.includes(gold);
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

function rankOf(answer: Answer, gold: string): number {
  const i = answer.passages.findIndex((p) => contains(p.text, gold));
  return i < 0 ? Infinity : i + 1;
}

function highlighted(answer: Answer, gold: string): boolean {
  const first = answer.passages[0];
  return Boolean(first && (first.highlights.some((h) => contains(h, gold)) || contains(first.highlights.join(' '), gold)));
}

async function evaluate(engine: AnswerEngine, questions: Question[], offtopic: OffTopic[], conversations: Conversation[]): Promise<Report> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let hit1 = 0, hit3 = 0, rr = 0, hl = 0, abstainedAnswerable = 0;
  for (const q of questions) {
    const answer = await engine.answer(q.question, { maxPassages: 5 });
    latencies.push(answer.timings.totalMs);
    const rank = rankOf(answer, q.gold);
    if (rank === 1) hit1++;
    if (rank <= 3) hit3++;
    if (rank <= 5) rr += 1 / rank;
    if (highlighted(answer, q.gold)) hl++;
    else if (rank === 1) failures.push(`${q.id} highlight: "${q.question}" → ${JSON.stringify(answer.passages[0]?.highlights)}`);
    if (answer.abstained) abstainedAnswerable++;
    if (rank > 1) failures.push(`${q.id} rank ${rank}${answer.abstained ? ' (abstained)' : ''}: "${q.question}" [${q.section}] → ${answer.passages.map((p) => p.citation).join(' | ')}`);
  }
  let offAbstained = 0;
  for (const q of offtopic) {
    const answer = await engine.answer(q.question);
    latencies.push(answer.timings.totalMs);
    if (answer.abstained) offAbstained++;
    else failures.push(`${q.id} answered off-topic: "${q.question}" → ${answer.passages[0]?.citation} (${answer.passages[0]?.score})`);
  }
  let followTurns = 0, followHits = 0;
  for (const c of conversations) {
    const history: Turn[] = [];
    for (const [i, turn] of c.turns.entries()) {
      const answer = await engine.answer(turn.question, { history });
      const turnRecord = turnOf(answer);
      if (turnRecord) history.push(turnRecord);
      if (i === 0) continue;
      followTurns++;
      if (rankOf(answer, turn.gold) <= 3) followHits++;
      else failures.push(`${c.id}#${i} follow-up miss: "${turn.question}" searched "${answer.searchedFor}" → ${answer.passages.map((p) => p.citation).join(' | ')}`);
    }
  }
  const totalAbstained = abstainedAnswerable + offAbstained;
  const n = questions.length || 1;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    questions: questions.length,
    hit_at_1: r3(hit1 / n),
    hit_at_3: r3(hit3 / n),
    mrr: r3(rr / n),
    highlight_accuracy: r3(hl / n),
    answerable_abstained: r3(abstainedAnswerable / n),
    offtopic: offtopic.length,
    abstention_precision: r3(totalAbstained === 0 ? 1 : offAbstained / totalAbstained),
    abstention_recall: r3(offtopic.length === 0 ? 1 : offAbstained / offtopic.length),
    followup_turns: followTurns,
    followup_accuracy: r3(followTurns === 0 ? 1 : followHits / followTurns),
    latency_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    failures,
  };
}

async function evaluateBaseline(corpusDir: string, modelId: string, cacheDir: string, questions: Question[]) {
  const files = (await fs.readdir(corpusDir)).filter((f) => /\.(txt|md)$/i.test(f) && f.toLowerCase() !== 'readme.md');
  const sources = await Promise.all(files.map((f) => fs.readFile(path.join(corpusDir, f), 'utf8')));
  const embedder = await loadEmbedder(modelId, { cacheDir });
  const naive = await buildNaivePipeline(sources, embedder);
  let hit1 = 0, hit3 = 0;
  for (const q of questions) {
    const top = await naive.top(q.question, 3);
    if (top[0]?.includes(q.gold)) hit1++;
    if (top.some((t) => t.includes(q.gold))) hit3++;
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { questions: questions.length, chunks: naive.chunks.length, hit_at_1: r3(hit1 / questions.length), hit_at_3: r3(hit3 / questions.length) };
}
