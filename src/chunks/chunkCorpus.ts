import { walkCorpus } from '../corpus/readCorpus.ts';
import type { Article } from '../corpus/types.ts';
import { DEFAULT_MAX_CHARS, chunkArticle } from './chunkArticle.ts';
import type { Chunk } from './types.ts';

/**
 * Chunks every article of a corpus folder, one article at a time, as the build does (without facts or embeddings),
 * handing each article with its chunks to `visit`: what the bench and the tokenizer tests need of a corpus.
 */
export async function chunkCorpus(corpusDir: string, visit: (article: Article, chunks: Chunk[]) => void, maxChars = DEFAULT_MAX_CHARS): Promise<void> {
  await walkCorpus(corpusDir, () => undefined, (entry) => {
    if ('article' in entry) visit(entry.article, chunkArticle(entry.article, { maxChars }));
  });
}

/** Every chunk of a corpus folder, in corpus order (holds them all: for small corpora). */
export async function corpusChunks(corpusDir: string): Promise<Chunk[]> {
  const all: Chunk[] = [];
  await chunkCorpus(corpusDir, (_, chunks) => all.push(...chunks));
  return all;
}
