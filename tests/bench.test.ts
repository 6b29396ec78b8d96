import { describe, expect, it } from 'vitest';
import { runNode } from './helpers/runNode.ts';

/**
 * `npm run bench` completes and reports every section. Only the shape is checked: timings depend on the machine.
 * --tiny is --quick with a 1,500-chunk scale point and fewer repetitions. It still takes one to three minutes on
 * this shared machine.
 */
describe('bench command', () => {
  it('prints one JSON object with machine, seed, baseline, scale and targets', async () => {
    const result = await runNode(['scripts/bench.ts', '--tiny', '--json'], { timeoutMs: 290_000 });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0]!);

    const num = expect.any(Number);
    const spread = { p50: num, p95: num, p99: num };
    expect(report.machine).toEqual(expect.objectContaining({ cpu: expect.any(String), cores: num, memory_gb: num, node: expect.any(String) }));
    expect(report.hnsw).toEqual({ m: num, ef_construction: num, ef: num });
    expect(report.seed).toEqual(
      expect.objectContaining({
        chunks: num,
        build_ms: num,
        incremental_ms: num,
        answer_ms: expect.objectContaining(spread),
        cold_start_ms: num,
        rss_mb: num,
      }),
    );
    const coldStart = { printed_ms: num, exited_ms: num, runs_ms: expect.any(Array) };
    expect(report.seed.cold_start_node).toEqual(coldStart);
    expect(report.seed.cold_start_tsx).toEqual(coldStart);
    expect(report.seed.cold_start_floor_ms).toEqual({ node: num, node_guard: num, node_tsx: num, npm: num });
    expect(report.seed.chunks).toBeGreaterThan(0);
    expect(report.seed.incremental_embedded).toBeGreaterThan(0);
    expect(report.seed.live_reindex).toEqual(
      expect.objectContaining({ rebuild_ms: num, swap_ms: num, failed_answers: 0, answer_ms_during_rebuild: expect.objectContaining({ p95: num }) }),
    );
    expect(report.baseline).toEqual(expect.objectContaining({ build_ms: num, chunks: num, answer_ms: expect.objectContaining({ p50: num, p95: num }) }));

    expect(report.scale).toHaveLength(1);
    const [point] = report.scale;
    expect(point).toEqual(
      expect.objectContaining({
        chunks: num,
        vocabulary_words: num,
        index_bytes: num,
        build: expect.objectContaining({ ms: num, embed_ms: num }),
        incremental: expect.objectContaining({ ms: num, embedded: num }),
        serve: expect.objectContaining({
          open_ms: num,
          open_max_block_ms: num,
          rss_mb: num,
          answer_ms: expect.objectContaining(spread),
          query_ms: expect.objectContaining({ p50: num, p95: num }),
          recall_at_10: num,
          brute_force_ms: expect.objectContaining({ p50: num }),
          hnsw: { m: num, ef_construction: num, ef: num },
        }),
      }),
    );
    expect(point.chunks).toBeGreaterThan(1_000);
    expect(point.index_bytes).toBeGreaterThan(0);
    expect(point.serve.recall_at_10).toBeGreaterThan(0);
    expect(point.serve.recall_at_10).toBeLessThanOrEqual(1);

    expect(report.targets.map((t: { name: string }) => t.name)).toHaveLength(11);
    for (const target of report.targets) expect([true, false, null]).toContain(target.met);
  }, 300_000);
});

describe('bench-state command', () => {
  it('starts outside vitest: the test helpers it runs bots with do not need vitest', async () => {
    // VITEST empty: what a user's shell has. The helper once imported vitest at the top and crashed here.
    const result = await runNode(['scripts/bench-state.ts', '--help'], { env: { VITEST: '' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: bench-state');
  });
});
