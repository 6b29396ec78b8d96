import type { BaselineResult, ColdStart, SeedResult } from './benchSeed.ts';
import type { ScaleResult } from './benchScale.ts';
import { DEFAULT_TUNING } from '../../src/config/tuning.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  node: string;
  platform: string;
  /** 1-minute load average at the start and the end of the run: other work on the machine skews timings. */
  load_avg: { start: number; end: number };
}

export interface Target {
  name: string;
  limit: string;
  value: number | null;
  unit: string;
  /** null when not measured in this run (e.g. 100,000 chunks under --quick). */
  met: boolean | null;
}

export interface BenchReport {
  mode: 'full' | 'quick' | 'tiny' | 'custom';
  machine: Machine;
  hnsw: { m: number; ef_construction: number; ef: number };
  seed: SeedResult;
  baseline: BaselineResult;
  scale: ScaleResult[];
  targets: Target[];
  total_ms: number;
}

/** The sizes the scale targets are about. */
export const TARGET_SCALE = 100_000;
export const HUGE_SCALE = 1_000_000;

/** The targets of the index-as-a-database work (issue 12), checked against this run's figures. */
export function evaluateTargets(seed: SeedResult, scale: ScaleResult[]): Target[] {
  const big = scale.find((s) => s.target_chunks === TARGET_SCALE);
  const huge = scale.find((s) => s.target_chunks === HUGE_SCALE);
  const check = (name: string, limit: number, unit: string, value: number | undefined | null, higherIsBetter = false): Target => ({
    name,
    limit: `${higherIsBetter ? '≥' : '≤'} ${limit.toLocaleString('en-US')}${unit ? ` ${unit}` : ''}`,
    value: value ?? null,
    unit,
    met: value === undefined || value === null ? null : higherIsBetter ? value >= limit : value <= limit,
  });
  return [
    check('seed: answer p95 (warm)', 10, 'ms', seed.answer_ms.p95),
    check('seed: cold start of npm run ask (to first answer)', 1000, 'ms', seed.cold_start_ms),
    check('100k chunks: answer p95 (warm)', 30, 'ms', big?.serve.answer_ms.p95),
    check('100k chunks: engine open', 2000, 'ms', big?.serve.open_ms),
    check('100k chunks: incremental build (1 paragraph)', 5000, 'ms', big?.incremental?.ms),
    check('100k chunks: full build', 90_000, 'ms', big?.build.ms),
    check('100k chunks: bot RSS', 600, 'MB', big?.serve.rss_mb),
    check('100k chunks: recall@10 vs exact', 0.99, '', big?.serve.recall_at_10, true),
    check('1M chunks (--huge): answer p95 (warm)', 100, 'ms', huge?.serve.answer_ms.p95),
    check('1M chunks (--huge): engine open', 10_000, 'ms', huge?.serve.open_ms),
    check('1M chunks (--huge): bot RSS', 4096, 'MB', huge?.serve.rss_mb),
  ];
}

/** How a cost grows with the corpus: the exponent e in cost ∝ chunks^e between two sizes (1 linear, 0 flat). */
export function growthExponent(smaller: { chunks: number; value: number }, larger: { chunks: number; value: number }): number | null {
  if (smaller.value <= 0 || larger.value <= 0 || larger.chunks <= smaller.chunks) return null;
  return Math.log(larger.value / smaller.value) / Math.log(larger.chunks / smaller.chunks);
}

const num = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? '–' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ms = (x: number | null | undefined, digits = 0) => (x === null || x === undefined ? '–' : `${num(x, digits)} ms`);
const mib = (bytes: number) => `${num(bytes / (1024 * 1024), 1)} MB`;

/** The human-readable report. */
export function formatReport(report: BenchReport): string {
  const { machine, seed, baseline, scale, hnsw } = report;
  // Plain lines, or table rows [label, ...cells] whose columns are aligned at the end.
  const lines: Array<string | string[]> = [];
  const row = (label: string, ...cells: string[]) => lines.push([label, ...cells]);

  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GiB, Node ${machine.node} (${machine.platform}); mode: ${report.mode}`);
  // The bench itself keeps about one core busy; more than that is someone else's work.
  const busy = machine.load_avg.start > machine.cores * 0.5 || machine.load_avg.end > machine.cores;
  lines.push(`Load average (1 min) at start / end: ${machine.load_avg.start} / ${machine.load_avg.end}${busy ? '  ⚠ other work was running on the machine: timings may be pessimistic' : ''}`);
  lines.push(`HNSW: M=${hnsw.m}, efConstruction=${hnsw.ef_construction}, ef (search)=${hnsw.ef}`);
  lines.push('');
  lines.push(`Seed corpus (${seed.articles} article(s), ${seed.chunks} chunks)`);
  row('model load', ms(seed.model_load_ms));
  row('build from scratch', ms(seed.build_ms));
  row('incremental build (1 paragraph edited)', `${ms(seed.incremental_ms)} (${seed.incremental_embedded} chunk(s) embedded)`);
  row(`answer, warm (${seed.answer_ms.n} answers)`, `p50 ${ms(seed.answer_ms.p50, 2)}  p95 ${ms(seed.answer_ms.p95, 2)}  p99 ${ms(seed.answer_ms.p99, 2)}`);
  const live = seed.live_reindex;
  row('live reindex in the running engine', `rebuild ${ms(live.rebuild_ms)}, swap ${ms(live.swap_ms)}, ${live.failed_answers} failed answer(s)`);
  row(`  answers meanwhile (${live.answer_ms_during_rebuild.n})`, `p50 ${ms(live.answer_ms_during_rebuild.p50, 2)}  p95 ${ms(live.answer_ms_during_rebuild.p95, 2)}`);
  row(`cold start to first answer (median, npm run ask)`, `${ms(seed.cold_start_ms)} (exit ${ms(seed.cold_start_exit_ms)}; runs ${seed.cold_start_runs_ms.join(', ')})`);
  const coldRow = (label: string, c: ColdStart) => row(label, `${ms(c.printed_ms)} (exit ${ms(c.exited_ms)}; runs ${c.runs_ms.join(', ')})`);
  coldRow('  without npm (node dist/…/ask.js)', seed.cold_start_node);
  coldRow('  from source through tsx (yardstick)', seed.cold_start_tsx);
  const floor = seed.cold_start_floor_ms;
  row('  process floor', `node ${ms(floor.node)}, + dist/ check ${ms(floor.node_guard)}, + tsx ${ms(floor.node_tsx)}; npm run ${ms(floor.npm)}`);
  row('RSS (bench process, engine open)', `${num(seed.rss_mb)} MB (peak ${num(seed.peak_rss_mb)} MB)`);
  lines.push('');
  lines.push(`Naive baseline (${baseline.description})`);
  row('chunks', num(baseline.chunks));
  row('build (embed all windows)', ms(baseline.build_ms));
  row(`answer, warm (${baseline.answer_ms.n} answers)`, `p50 ${ms(baseline.answer_ms.p50, 2)}  p95 ${ms(baseline.answer_ms.p95, 2)}  p99 ${ms(baseline.answer_ms.p99, 2)}`);

  if (scale.length > 0) {
    lines.push('');
    lines.push('Scale (synthetic corpora; each size built in its own process, the bot measured in another)');
    const cols = (f: (s: ScaleResult) => string) => scale.map(f);
    row('target chunks', ...cols((s) => num(s.target_chunks)));
    row('chunks / articles', ...cols((s) => `${num(s.chunks)} / ${num(s.articles)}`));
    row('corpus size', ...cols((s) => mib(s.corpus_bytes)));
    row('distinct words / lexical terms', ...cols((s) => `${num(s.vocabulary_words)} / ${num(s.lexical_terms)}`));
    row('full build (buildIndex --full)', ...cols((s) => ms(s.build.ms)));
    row('  embed chunks', ...cols((s) => `${ms(s.build.embed_ms)} (${num(s.build.embed_chunks_per_s)}/s)`));
    row('  HNSW insert + write (own thread)', ...cols((s) => `${ms(s.build.hnsw_ms)} (waited ${ms(s.build.hnsw_wait_ms)})`));
    row('  read, parse, chunk, database', ...cols((s) => ms(s.build.rest_ms)));
    row('  peak RSS of the build', ...cols((s) => `${num(s.build.peak_rss_mb)} MB`));
    row('incremental build (1 paragraph edited)', ...cols((s) => (s.incremental === null ? 'not measured' : `${ms(s.incremental.ms)} (${num(s.incremental.embedded)} embedded)`)));
    row('index size', ...cols((s) => mib(s.index_bytes)));
    const files = [...new Set(scale.flatMap((s) => Object.keys(s.index_files_bytes)))].sort();
    for (const file of files) row(`  ${file}`, ...cols((s) => (s.index_files_bytes[file] === undefined ? '–' : mib(s.index_files_bytes[file]))));
    row('open the engine (model + verify + open)', ...cols((s) => ms(s.serve.open_ms)));
    row('  longest event-loop block meanwhile', ...cols((s) => ms(s.serve.open_max_block_ms)));
    row(`answer, warm p50 / p95 (${scale[0]!.serve.answer_ms.n} questions)`, ...cols((s) => `${num(s.serve.answer_ms.p50, 2)} / ${num(s.serve.answer_ms.p95, 2)} ms`));
    row('bot RSS after answering (peak)', ...cols((s) => `${num(s.serve.rss_mb)} MB (${num(s.serve.peak_rss_mb)} MB)`));
    row(`HNSW query k=10 p50 / p95`, ...cols((s) => `${num(s.serve.query_ms.p50, 3)} / ${num(s.serve.query_ms.p95, 3)} ms`));
    row(`HNSW query k=${DEFAULT_TUNING.retrieval.candidates} (engine) p50 / p95`, ...cols((s) => `${num(s.serve.query_engine_k_ms.p50, 3)} / ${num(s.serve.query_engine_k_ms.p95, 3)} ms`));
    row(`recall@10 vs exact (${scale[0]!.serve.queries} queries)`, ...cols((s) => num(s.serve.recall_at_10, 3)));
    row('  questions / fragments only', ...cols((s) => `${num(s.serve.recall_at_10_questions, 3)} / ${num(s.serve.recall_at_10_fragments, 3)}`));
    row('exact brute force p50 / p95', ...cols((s) => `${num(s.serve.brute_force_ms.p50, 2)} / ${num(s.serve.brute_force_ms.p95, 2)} ms`));
    for (const [i, point] of scale[0]!.serve.ef_sweep.entries()) {
      row(`  ef=${point.ef}: recall@10 (questions), p95`, ...cols((s) => {
        const p = s.serve.ef_sweep[i]!;
        return `${num(p.recall_at_10, 3)} (${num(p.recall_at_10_questions, 3)}), ${num(p.query_ms.p95, 3)} ms`;
      }));
    }
    if (scale.length > 1) {
      lines.push('');
      lines.push('How cost grows: exponent e in cost ∝ chunks^e between neighbouring sizes (1 = linear, 0 = flat)');
      const growth: Array<[string, (s: ScaleResult) => number | null | undefined]> = [
        ['full build time', (s) => s.build.ms],
        ['index size', (s) => s.index_bytes],
        ['distinct words', (s) => s.vocabulary_words],
        ['engine open', (s) => s.serve.open_ms],
        ['answer p95', (s) => s.serve.answer_ms.p95],
        ['bot RSS', (s) => s.serve.rss_mb],
        ['incremental build', (s) => s.incremental?.ms],
      ];
      const steps = scale.slice(1).map((s, i) => [scale[i]!, s] as const);
      row('', ...steps.map(([a, b]) => `${num(a.target_chunks)} → ${num(b.target_chunks)}`));
      for (const [name, f] of growth) {
        row(name, ...steps.map(([a, b]) => {
          const va = f(a);
          const vb = f(b);
          const e = va && vb ? growthExponent({ chunks: a.chunks, value: va }, { chunks: b.chunks, value: vb }) : null;
          return e === null ? '–' : e.toFixed(2);
        }));
      }
    }
  }

  lines.push('');
  lines.push('Targets');
  for (const t of report.targets) {
    const status = t.met === null ? 'n/a ' : t.met ? 'MET ' : 'MISS';
    const digits = t.unit === '' ? 3 : t.value !== null && t.value < 100 ? 2 : 0;
    const value = t.value === null ? 'not measured in this mode' : `${num(t.value, digits)}${t.unit ? ` ${t.unit}` : ''}`;
    lines.push(`  [${status}] ${t.name.padEnd(44)}${t.limit.padEnd(14)}${value}`);
  }
  lines.push('', `Total ${(report.total_ms / 1000).toFixed(1)} s`);
  return alignRows(lines).join('\n');
}

/** Pads every table column to its widest cell (a row's last cell, often a long remark, is not padded). */
function alignRows(lines: Array<string | string[]>): string[] {
  const widths: number[] = [];
  for (const line of lines) {
    if (typeof line === 'string') continue;
    line.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length + 2)));
  }
  return lines.map((line) => (typeof line === 'string' ? line : `  ${line.map((cell, i) => (i < line.length - 1 ? cell.padEnd(widths[i]!) : cell)).join('')}`));
}
