import type { Article } from '../corpus/types.ts';
import type { Chunk } from '../chunks/types.ts';
import { chunkArticle } from '../chunks/chunkArticle.ts';
import { articleFacts, type ArticleFacts } from '../chunks/articleFacts.ts';
import { startModuleWorker } from './moduleWorker.ts';

/** An article's chunks and their sentence facts. */
export interface ChunkedArticle {
  chunks: Chunk[];
  facts: ArticleFacts;
}

/** Chunks articles and computes their facts, here or in a worker thread; results come in the order asked. */
export interface ArticleChunker {
  chunk(article: Article): Promise<ChunkedArticle>;
  close(): Promise<void>;
}

/** The same work on this thread: for builds that parse a few articles, where starting a worker costs more. */
export function chunkerOnThisThread(maxChars: number): ArticleChunker {
  return {
    chunk: async (article) => {
      const chunks = chunkArticle(article, { maxChars });
      return { chunks, facts: articleFacts(article, chunks) };
    },
    close: async () => {},
  };
}

/**
 * A worker thread that chunks articles while the build's own thread reads the next ones and writes the database
 * (chunking and sentence facts were a third of a full build at 100,000 chunks). A worker that fails rejects every
 * article still asked of it.
 */
export function chunkerInWorker(maxChars: number): ArticleChunker {
  const worker = startModuleWorker('./chunkWorker', import.meta.url, { maxChars });
  const waiting = new Map<number, { resolve: (result: ChunkedArticle) => void; reject: (error: Error) => void }>();
  let next = 0;
  let stopped: Error | undefined;
  const failAll = (error: Error) => {
    stopped ??= error;
    for (const w of waiting.values()) w.reject(stopped);
    waiting.clear();
  };
  worker.on('message', (reply: { id: number } & (ChunkedArticle | { failure: string })) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('failure' in reply) w?.reject(new Error(`chunking an article failed: ${reply.failure}`));
    else w?.resolve(reply);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the chunking worker stopped with exit code ${code}`)));
  return {
    chunk(article) {
      if (stopped) return Promise.reject(stopped);
      const id = next++;
      return new Promise<ChunkedArticle>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, article });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
