import type { Embedder } from '../embeddings/types.ts';
import { walkCorpus } from '../corpus/readCorpus.ts';
import { chunkArticle } from '../chunks/chunkArticle.ts';
import { articleFacts } from '../chunks/articleFacts.ts';
import { describeError } from '../errors/appError.ts';
import { DEFAULT_CHUNKING } from './buildIndex.ts';
import { DEFAULT_HNSW } from './hnsw.ts';
import { indexFingerprint } from './manifest.ts';
import { loadIndex } from './loadIndex.ts';
import { articleChunksHash } from './writeArticles.ts';

export type IndexCheck = { upToDate: true } | { upToDate: false; reason: string };

/** Tells whether the index folder is loadable and exactly what a build of the corpus with this model would produce. */
export async function checkIndex(corpusDir: string, indexDir: string, embedder: Embedder): Promise<IndexCheck> {
  const model = { id: embedder.modelId, dimensions: embedder.dimensions, hash: embedder.modelHash };
  let fingerprint: string;
  try {
    const index = await loadIndex(indexDir, model);
    fingerprint = index.manifest.fingerprint;
    index.close();
  } catch (error) {
    return { upToDate: false, reason: describeError(error) };
  }
  // A fresh plan, reusing nothing: the check must see what the current code makes of the corpus.
  const articles: Array<[string, string]> = [];
  await walkCorpus(corpusDir, () => undefined, (entry) => {
    if (!('article' in entry)) return;
    const chunks = chunkArticle(entry.article, { maxChars: DEFAULT_CHUNKING.maxChars });
    articles.push([entry.file.id, articleChunksHash(entry.article, chunks, articleFacts(entry.article, chunks))]);
  });
  const expected = indexFingerprint({ model, hnsw: DEFAULT_HNSW, chunking: DEFAULT_CHUNKING, articles });
  if (expected !== fingerprint) {
    return {
      upToDate: false,
      reason: 'The index does not match the corpus (articles, chunking or search settings changed since it was built): run `npm run build-index` (with `-- --full` if the parsing or chunking code changed).',
    };
  }
  return { upToDate: true };
}
