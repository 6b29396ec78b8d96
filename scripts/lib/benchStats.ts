import fs from 'node:fs/promises';
import path from 'node:path';

/** Small helpers shared by the benchmark: a seeded PRNG, percentiles, progress on stderr, folder sizes. */

/** mulberry32: a tiny, fast, seedable 32-bit PRNG (same seed, same sequence, on every platform). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes two integers into a seed, so item i of a stream can be generated without generating items 0..i-1. */
export function mixSeed(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

export function randomInt(rng: () => number, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** Nearest-rank percentile, rounded to 0.001 (ms: a microsecond). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return round3(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  n: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  const mean = values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0;
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99), mean: round3(mean), n: values.length };
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export const round2 = (x: number) => Math.round(x * 100) / 100;
export const round3 = (x: number) => Math.round(x * 1000) / 1000;
export const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** Times an async function in milliseconds (wall clock). */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: round2(performance.now() - started) };
}

const STARTED = performance.now();

/** Progress line on stderr (stdout is reserved for the report). */
export function progress(message: string): void {
  const seconds = ((performance.now() - STARTED) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Total size of every file under a folder, and the size per file name (relative path). */
export async function folderBytes(dir: string): Promise<{ total: number; files: Record<string, number> }> {
  const files: Record<string, number> = {};
  let total = 0;
  async function walk(current: string): Promise<void> {
    for (const entry of await fs.readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const { size } = await fs.stat(full);
        files[path.relative(dir, full)] = size;
        total += size;
      }
    }
  }
  await walk(dir);
  return { total, files };
}

/** Current resident set size and the process's peak, in MB (after a full GC when `--expose-gc` is on). */
export function memory(): { rss_mb: number; peak_rss_mb: number; heap_used_mb: number; array_buffers_mb: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return {
    rss_mb: mb(usage.rss),
    // resourceUsage().maxRSS is in kilobytes.
    peak_rss_mb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    heap_used_mb: mb(usage.heapUsed),
    array_buffers_mb: mb(usage.arrayBuffers),
  };
}

/** Peak RSS of the process so far (its worker threads included), in MB: getrusage, cheap, and never lower than any earlier RSS. */
export const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
