import hnswlib from 'hnswlib-node';
import type { HnswParams } from './manifest.ts';
import { BUILD_TUNING } from '../config/tuning.ts';

const { HierarchicalNSW } = hnswlib;
export type HnswIndex = InstanceType<typeof HierarchicalNSW>;

/** The graph's parameters (see BUILD_TUNING for how they were measured). */
export const DEFAULT_HNSW: HnswParams = { space: 'cosine', m: BUILD_TUNING.hnsw.m, efConstruction: BUILD_TUNING.hnsw.efConstruction, efSearch: BUILD_TUNING.hnsw.efSearch, randomSeed: BUILD_TUNING.hnsw.randomSeed };

/**
 * An empty graph for `capacity` points. Deleted points may be replaced by new ones, so an incremental build updates
 * the graph in place. Insertion is single-threaded, so a full build of the same corpus gives the same file.
 */
export function createHnsw(dimensions: number, params: HnswParams, capacity: number): HnswIndex {
  const index = new HierarchicalNSW(params.space, dimensions);
  index.initIndex({ maxElements: Math.max(capacity, 1), m: params.m, efConstruction: params.efConstruction, randomSeed: params.randomSeed, allowReplaceDeleted: true });
  index.setEf(params.efSearch);
  return index;
}

/**
 * Reads a graph; `forUpdate` lets new points take the places of deleted ones. hnswlib reads off the main thread, so a
 * bot loading a big new index keeps answering meanwhile.
 */
export async function readHnsw(file: string, dimensions: number, params: HnswParams, forUpdate = false): Promise<HnswIndex> {
  const index = new HierarchicalNSW(params.space, dimensions);
  await index.readIndex(file, forUpdate);
  // readIndex resets ef to 10.
  index.setEf(params.efSearch);
  return index;
}

/**
 * Adds a point, in the place of a deleted one when there is one (`deleted` counts them), growing the graph when it is
 * full. hnswlib-node wants a plain Array, not a typed one.
 */
export function addToHnsw(index: HnswIndex, vector: ArrayLike<number>, label: number, deleted: { count: number }): void {
  if (deleted.count > 0) {
    index.addPoint(Array.from(vector), label, true);
    deleted.count--;
    return;
  }
  if (index.getCurrentCount() >= index.getMaxElements()) index.resizeIndex(Math.max(16, Math.ceil(index.getMaxElements() * 1.5)));
  index.addPoint(Array.from(vector), label, false);
}

/** Nearest chunks by cosine similarity (hnswlib's cosine space returns 1 - cosine); `live` is how many points are not deleted. */
export function searchHnsw(index: HnswIndex, query: Float32Array, k: number, live: number): Array<{ label: number; similarity: number }> {
  const n = Math.min(k, live);
  if (n === 0) return [];
  const { neighbors, distances } = index.searchKnn(Array.from(query), n);
  return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
}
