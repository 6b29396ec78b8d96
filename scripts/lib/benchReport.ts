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

/** The size the scale targets are about. */
export const TARGET_SCALE = 100_000;

export function evaluateTargets(seed: SeedResult, scale: ScaleResult[]): Target[] {
  const big = scale.find((s) => s.target_chunks === TARGET_SCALE);
  const check = (name: string, limit: number, unit: string, value: number | undefined, higherIsBetter = false): Target => ({
    name,
    limit: `${higherIsBetter ? '≥' : '≤'} ${limit}${unit ? ` ${unit}` : ''}`,
    value: value ?? null,
    unit,
    met: value === undefined ? null : higherIsBetter ? value >= limit : value <= limit,
  });
  return [
    check('seed answer p95 (warm)', 20, 'ms', seed.answer_ms.p95),
    check('cold start of npm run ask → first answer', 1000, 'ms', seed.cold_start_ms),
    check('100k chunks: build', 180_000, 'ms', big?.build_ms),
    check('100k chunks: HNSW query p95 (k=10)', 50, 'ms', big?.query_ms.p95),
    check('100k chunks: recall@10 vs exact', 0.98, '', big?.recall_at_10, true),
    check('100k chunks: RSS after build + load', 1536, 'MB', big?.rss_mb),
  ];
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
    lines.push('Scale (synthetic corpora; each size measured in its own process)');
    const cols = (f: (s: ScaleResult) => string) => scale.map(f);
    row('target chunks', ...cols((s) => num(s.target_chunks)));
    row('chunks / articles', ...cols((s) => `${num(s.chunks)} / ${num(s.articles)}`));
    row('corpus size', ...cols((s) => mib(s.corpus_bytes)));
    row('build (buildIndex, full)', ...cols((s) => ms(s.build_ms)));
    row('  plan: read+parse+chunk+hash+JSON', ...cols((s) => ms(s.build_breakdown_ms.plan)));
    row('    read+parse / chunk+hash / stringify', ...cols((s) => `${num(s.plan_breakdown_ms.read_parse)} / ${num(s.plan_breakdown_ms.chunk_hash)} / ${num(s.plan_breakdown_ms.stringify_store)}`));
    row('  embed chunks', ...cols((s) => `${ms(s.build_breakdown_ms.embed)} (${num(s.embed_chunks_per_s)}/s)`));
    row('  embed other texts (vocabulary)', ...cols((s) => `${ms(s.build_breakdown_ms.embed_other)} (${num(s.build_breakdown_ms.embed_other_texts)} texts)`));
    row('  HNSW insert', ...cols((s) => ms(s.build_breakdown_ms.hnsw_insert)));
    row('  HNSW serialize', ...cols((s) => ms(s.build_breakdown_ms.hnsw_serialize)));
    row('  write files (hash, manifest)', ...cols((s) => ms(s.build_breakdown_ms.write)));
    row('  other (vectors, vocabulary, …)', ...cols((s) => ms(s.build_breakdown_ms.other)));
    row('incremental build (1 paragraph edited)', ...cols((s) => (s.incremental_ms === null ? 'not measured' : `${ms(s.incremental_ms)} (${num(s.incremental_embedded)} embedded)`)));
    row('  plan / embed / HNSW insert / write', ...cols((s) => {
      const b = s.incremental_breakdown_ms;
      return b ? `${[b.plan, b.embed, b.hnsw_insert, b.write].map((x) => num(x)).join(' / ')} ms` : '–';
    }));
    row('index size', ...cols((s) => mib(s.index_bytes)));
    const files = [...new Set(scale.flatMap((s) => Object.keys(s.index_files_bytes)))].sort();
    for (const file of files) {
      row(`  ${file}`, ...cols((s) => (s.index_files_bytes[file] === undefined ? '–' : mib(s.index_files_bytes[file]))));
    }
    row('load index (loadIndex)', ...cols((s) => ms(s.load_ms)));
    row('  chunks.json parse / hnsw read', ...cols((s) => `${num(s.load_breakdown_ms.chunks_json_parse)} / ${num(s.load_breakdown_ms.hnsw_read)} ms`));
    row('lexical index (createRetriever)', ...cols((s) => ms(s.retriever_ms)));
    row('  longest event-loop block meanwhile', ...cols((s) => ms(s.retriever_max_block_ms)));
    row('RSS after build + load (peak)', ...cols((s) => `${num(s.rss_mb)} MB (${num(s.peak_rss_mb)} MB)`));
    row('  peak RSS so far after plan/embed/hnsw', ...cols((s) => `${['plan', 'embed', 'hnsw'].map((k) => num(s.peak_rss_timeline_mb[k])).join(' / ')} MB`));
    row('    …build/load/retriever/engine', ...cols((s) => `${['build', 'load', 'retriever', 'engine'].map((k) => num(s.peak_rss_timeline_mb[k])).join(' / ')} MB`));
    row(`HNSW query k=10 p50 / p95`, ...cols((s) => `${num(s.query_ms.p50, 3)} / ${num(s.query_ms.p95, 3)} ms`));
    row(`HNSW query k=${DEFAULT_TUNING.retrieval.candidates} (engine) p50 / p95`, ...cols((s) => `${num(s.query_engine_k_ms.p50, 3)} / ${num(s.query_engine_k_ms.p95, 3)} ms`));
    row(`recall@10 vs exact (${scale[0]!.queries} queries)`, ...cols((s) => `${num(s.recall_at_10, 3)} (ids ${num(s.recall_at_10_ids, 3)})`));
    row('  questions / fragments only', ...cols((s) => `${num(s.recall_at_10_questions, 3)} / ${num(s.recall_at_10_fragments, 3)}`));
    row('exact brute force p50 / p95', ...cols((s) => `${num(s.brute_force_ms.p50, 2)} / ${num(s.brute_force_ms.p95, 2)} ms`));
    row('open answer engine (model + index)', ...cols((s) => ms(s.engine_open_ms)));
    row('answer, warm p50 / p95 (eval questions)', ...cols((s) => `${num(s.answer_ms.p50, 2)} / ${num(s.answer_ms.p95, 2)} ms`));
    for (const [i, point] of scale[0]!.ef_sweep.entries()) {
      row(`  ef=${point.ef}: recall@10 (questions), p95`, ...cols((s) => {
        const p = s.ef_sweep[i]!;
        return `${num(p.recall_at_10, 3)} (${num(p.recall_at_10_questions, 3)}), ${num(p.query_ms.p95, 3)} ms`;
      }));
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
