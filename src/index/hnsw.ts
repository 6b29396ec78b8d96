import hnswlib from 'hnswlib-node';
import type { HnswParams } from './manifest.ts';
import { BUILD_TUNING } from '../config/tuning.ts';

const { HierarchicalNSW } = hnswlib;
export type HnswIndex = InstanceType<typeof HierarchicalNSW>;

/** The graph's parameters (see BUILD_TUNING for how they were measured). */
export const DEFAULT_HNSW: HnswParams = { space: 'cosine', ...BUILD_TUNING.hnsw };

/** Builds the graph from row-major vectors; label i is chunk i. Insertion is single-threaded, so the file is reproducible. */
export function buildHnsw(vectors: Float32Array, dimensions: number, params: HnswParams): HnswIndex {
  const count = vectors.length / dimensions;
  const index = new HierarchicalNSW(params.space, dimensions);
  index.initIndex({ maxElements: Math.max(count, 1), m: params.m, efConstruction: params.efConstruction, randomSeed: params.randomSeed });
  for (let i = 0; i < count; i++) {
    // hnswlib-node rejects typed arrays: it wants a plain Array.
    index.addPoint(Array.from(vectors.subarray(i * dimensions, (i + 1) * dimensions)), i);
  }
  index.setEf(params.efSearch);
  return index;
}

export function readHnsw(file: string, dimensions: number, params: HnswParams): HnswIndex {
  const index = new HierarchicalNSW(params.space, dimensions);
  index.readIndexSync(file);
  // readIndex resets ef to 10.
  index.setEf(params.efSearch);
  return index;
}

/** Nearest chunks by cosine similarity (hnswlib's cosine space returns 1 - cosine). */
export function searchHnsw(index: HnswIndex, query: Float32Array, k: number): Array<{ label: number; similarity: number }> {
  const n = Math.min(k, index.getCurrentCount());
  if (n === 0) return [];
  const { neighbors, distances } = index.searchKnn(Array.from(query), n);
  return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
}
