import type { Embedder } from '../embeddings/types.ts';
import { planIndex } from './buildIndex.ts';
import { indexFingerprint } from './manifest.ts';
import { loadIndex } from './loadIndex.ts';

export type IndexCheck = { upToDate: true } | { upToDate: false; reason: string };

/** Tells whether the index folder is loadable and exactly what a build of the corpus with this model would produce. */
export async function checkIndex(corpusDir: string, indexDir: string, embedder: Embedder): Promise<IndexCheck> {
  const model = { id: embedder.modelId, dimensions: embedder.dimensions, hash: embedder.modelHash };
  const index = await loadIndex(indexDir, model).catch((error: Error) => error);
  if (index instanceof Error) return { upToDate: false, reason: index.message };
  const plan = await planIndex(corpusDir, index.manifest.chunking, index.manifest.hnsw);
  const expected = indexFingerprint({ model, hnsw: plan.hnsw, chunking: plan.chunking, chunkStoreJson: JSON.stringify(plan.store) });
  if (expected !== index.manifest.fingerprint) {
    return { upToDate: false, reason: 'The index does not match the corpus (articles or chunking changed since it was built): run `npm run build-index`.' };
  }
  return { upToDate: true };
}
