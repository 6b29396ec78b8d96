/** The HNSW graph of a build, built in its worker thread with the real hnswlib. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphBuilder } from '../src/index/graphBuilder.ts';
import { DEFAULT_HNSW, readHnsw, searchHnsw } from '../src/index/hnsw.ts';
import { makeTempDir, removeDir } from './helpers/tempProject.ts';

const DIMS = 8;
/** A unit vector of its own for each i (seeded, so every run builds the same graph). */
const vector = (i: number) => {
  let seed = i + 1;
  const v = Float32Array.from({ length: DIMS }, () => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
const labels = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('graph-');
});
afterAll(async () => {
  await removeDir(dir);
});

describe('graph builder', () => {
  it('adds, copies and deletes points in order, and an update in place reuses the deleted places', async () => {
    const first = path.join(dir, 'first.bin');
    const builder = startGraphBuilder(DIMS, DEFAULT_HNSW, {});
    builder.add(labels(0, 2000), labels(0, 2000).map(vector));
    builder.copy([5], [2000]);
    builder.markDelete([5]);
    expect(await builder.finish(first, [...labels(0, 5), ...labels(6, 2001)], 0.2)).toMatchObject({ deletedPoints: 1 });
    await builder.close();
    const graph = await readHnsw(first, DIMS, DEFAULT_HNSW);
    expect(graph.getCurrentCount()).toBe(2001);
    // The copy answers for the deleted original.
    expect(searchHnsw(graph, vector(5), 1, 2000)[0]).toMatchObject({ label: 2000 });

    const second = path.join(dir, 'second.bin');
    const update = startGraphBuilder(DIMS, DEFAULT_HNSW, { file: first, deletedPoints: 1 });
    update.add([2001], [vector(2001)]);
    expect(await update.finish(second, [...labels(0, 5), ...labels(6, 2002)], 0.2)).toMatchObject({ deletedPoints: 0 });
    await update.close();
    // The new point took the deleted one's place: the graph did not grow.
    expect((await readHnsw(second, DIMS, DEFAULT_HNSW)).getCurrentCount()).toBe(2001);
  });

  it('builds the graph afresh from the live points when too many are deleted', async () => {
    const file = path.join(dir, 'worn.bin');
    const builder = startGraphBuilder(DIMS, DEFAULT_HNSW, {});
    builder.add(labels(0, 100), labels(0, 100).map(vector));
    builder.markDelete(labels(0, 30));
    expect(await builder.finish(file, labels(30, 100), 0.2)).toMatchObject({ deletedPoints: 0 });
    await builder.close();
    const graph = await readHnsw(file, DIMS, DEFAULT_HNSW);
    expect(graph.getCurrentCount()).toBe(70);
    expect(graph.getIdsList().sort((a, b) => a - b)).toEqual(labels(30, 100));
  });

  it('reports a failure at the end, with what went wrong', async () => {
    const builder = startGraphBuilder(DIMS, DEFAULT_HNSW, {});
    builder.copy([12345], [0]);
    await expect(builder.finish(path.join(dir, 'never.bin'), [0], 0.2)).rejects.toThrow(/building the HNSW graph failed: .+/);
    await builder.close();
    await expect(fs.access(path.join(dir, 'never.bin'))).rejects.toThrow();
  });
});
