import hnswlib from 'hnswlib-node';
import type { HnswParams } from './manifest.ts';
import { BUILD_TUNING } from '../config/tuning.ts';

const { HierarchicalNSW } = hnswlib;
export type HnswIndex = InstanceType<typeof HierarchicalNSW>;

/** The graph's parameters (see BUILD_TUNING for how they were measured). */
export const DEFAULT_HNSW: HnswParams = { space: 'cosine', m: BUILD_TUNING.hnsw.m, efConstruction: BUILD_TUNING.hnsw.efConstruction, efSearch: BUILD_TUNING.hnsw.efSearch, randomSeed: BUILD_TUNING.hnsw.randomSeed };

/**
 * Reads a graph for searching (graphBuilder.ts builds them). hnswlib reads off the main thread, so a bot loading a big
 * new index keeps answering meanwhile.
 */
export async function readHnsw(file: string, dimensions: number, params: HnswParams): Promise<HnswIndex> {
  const index = new HierarchicalNSW(params.space, dimensions);
  await index.readIndex(file, false);
  // readIndex resets ef to 10.
  index.setEf(params.efSearch);
  return index;
}

/** Nearest chunks by cosine similarity (hnswlib's cosine space returns 1 - cosine); `live` is how many points are not deleted. */
export function searchHnsw(index: HnswIndex, query: Float32Array, k: number, live: number): Array<{ label: number; similarity: number }> {
  const n = Math.min(k, live);
  if (n === 0) return [];
  const { neighbors, distances } = index.searchKnn(Array.from(query), n);
  return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
}
