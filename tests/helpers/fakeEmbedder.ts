import { createHash } from 'node:crypto';
import type { Embedder } from '../../src/embeddings/types.ts';
import { tokenize } from '../../src/text/tokens.ts';

const DIMENSIONS = 16;

/** A fixed pseudo-random unit vector per word (from its hash), so equal words embed alike. */
function wordVector(word: string): Float32Array {
  const bytes = createHash('sha256').update(word).digest();
  const v = new Float32Array(DIMENSIONS);
  for (let d = 0; d < DIMENSIONS; d++) v[d] = bytes[d]! / 127.5 - 1;
  return v;
}

function embed(text: string): Float32Array {
  const sum = new Float32Array(DIMENSIONS);
  for (const word of tokenize(text)) {
    const v = wordVector(word);
    for (let d = 0; d < DIMENSIONS; d++) sum[d]! += v[d]!;
  }
  const norm = Math.hypot(...sum);
  return norm > 0 ? sum.map((x) => x / norm) : sum;
}

/**
 * A tiny deterministic embedder for fast retrieval tests: a text is the normalised sum of its words' hashed vectors.
 * It knows nothing of meaning (synonyms do not meet), which is what such tests want: BM25, fusion, context weights and
 * quoting, without loading the model. End-to-end tests use the real bundled model.
 */
export function fakeEmbedder(): Embedder {
  return {
    modelId: 'fake',
    dimensions: DIMENSIONS,
    modelHash: 'fake-embedder-1',
    embedPassages: async (texts, onProgress) => {
      const out = texts.map(embed);
      onProgress?.(out.length, texts.length);
      return out;
    },
    embedQuery: async (text) => embed(text),
  };
}
