import type { Embedder } from '../../src/embeddings/types.ts';
import { dot } from '../../src/embeddings/vectors.ts';

/**
 * The usual naive pipeline, kept as a yardstick: fixed 1000-character windows with 200 characters of
 * overlap over the whole file, dense search only, the top window quoted as is.
 */
export const NAIVE = { size: 1000, overlap: 200 };

export interface NaivePipeline {
  chunks: string[];
  top(question: string, k: number): Promise<string[]>;
}

export function naiveChunks(source: string): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < source.length; start += NAIVE.size - NAIVE.overlap) {
    chunks.push(source.slice(start, start + NAIVE.size));
    if (start + NAIVE.size >= source.length) break;
  }
  return chunks;
}

export async function buildNaivePipeline(sources: string[], embedder: Embedder): Promise<NaivePipeline> {
  const chunks = sources.flatMap(naiveChunks);
  const vectors = await embedder.embedPassages(chunks);
  return {
    chunks,
    async top(question, k) {
      const q = await embedder.embedQuery(question);
      return vectors
        .map((v, i) => [dot(v, q), i] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, k)
        .map(([, i]) => chunks[i]!);
    },
  };
}
