import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/config.ts';

/**
 * `npm run bench` completes and reports every section. Only the shape is checked: timings depend on the machine.
 * --tiny is --quick with a 2,000-chunk scale point and fewer repetitions, so the test stays well under its timeout.
 */
describe('bench command', () => {
  it('prints one JSON object with machine, seed, baseline, scale and targets', async () => {
    // Not spawnSync: a worker blocked for over 60 s (a busy machine) fails the run with vitest's RPC timeout.
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--tiny', '--json'], { cwd: PROJECT_ROOT, timeout: 170_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
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
        build_ms: num,
        index_bytes: num,
        rss_mb: num,
        query_ms: expect.objectContaining({ p50: num, p95: num }),
        recall_at_10: num,
        retriever_ms: num,
        retriever_max_block_ms: num,
        brute_force_ms: expect.objectContaining({ p50: num }),
        hnsw: { m: num, ef_construction: num, ef: num },
      }),
    );
    expect(point.chunks).toBeGreaterThan(1_000);
    expect(point.index_bytes).toBeGreaterThan(0);
    expect(point.recall_at_10).toBeGreaterThan(0);
    expect(point.recall_at_10).toBeLessThanOrEqual(1);

    expect(report.targets.map((t: { name: string }) => t.name)).toHaveLength(6);
    for (const target of report.targets) expect([true, false, null]).toContain(target.met);
  }, 180_000);
});
