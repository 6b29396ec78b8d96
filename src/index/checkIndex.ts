import type { Embedder } from '../embeddings/types.ts';
import { DEFAULT_CHUNKING, planIndex } from './buildIndex.ts';
import { DEFAULT_HNSW } from './hnsw.ts';
import { indexFingerprint } from './manifest.ts';
import { loadIndex } from './loadIndex.ts';

export type IndexCheck = { upToDate: true } | { upToDate: false; reason: string };

/** Tells whether the index folder is loadable and exactly what a build of the corpus with this model would produce. */
export async function checkIndex(corpusDir: string, indexDir: string, embedder: Embedder): Promise<IndexCheck> {
  const model = { id: embedder.modelId, dimensions: embedder.dimensions, hash: embedder.modelHash };
  const index = await loadIndex(indexDir, model).catch((error: Error) => error);
  if (index instanceof Error) return { upToDate: false, reason: index.message };
  // A fresh plan, reusing nothing: the check must see what the current code makes of the corpus.
  const plan = await planIndex(corpusDir, DEFAULT_CHUNKING, DEFAULT_HNSW);
  const expected = indexFingerprint({ model, hnsw: plan.hnsw, chunking: plan.chunking, chunkStoreJson: JSON.stringify(plan.store) });
  if (expected !== index.manifest.fingerprint) {
    return {
      upToDate: false,
      reason: 'The index does not match the corpus (articles, chunking or search settings changed since it was built): run `npm run build-index` (with `-- --full` if the parsing or chunking code changed).',
    };
  }
  return { upToDate: true };
}
