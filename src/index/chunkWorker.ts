/**
 * A worker thread that chunks articles and computes their sentence facts (started by articleChunker.ts): the
 * pure, per-article part of a build, a third of it, done on another core while the build writes the database.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chunkArticle } from '../chunks/chunkArticle.ts';
import { articleFacts } from '../chunks/articleFacts.ts';
import type { Article } from '../corpus/types.ts';
import { moduleWorkerData } from './moduleWorker.ts';

const { maxChars } = moduleWorkerData<{ maxChars: number }>(workerData);

parentPort!.on('message', ({ id, article }: { id: number; article: Article }) => {
  try {
    const chunks = chunkArticle(article, { maxChars });
    parentPort!.postMessage({ id, chunks, facts: articleFacts(article, chunks) });
  } catch (error) {
    parentPort!.postMessage({ id, failure: error instanceof Error ? error.message : String(error) });
  }
});
