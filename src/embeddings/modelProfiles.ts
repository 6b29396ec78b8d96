import type { Pooling } from './pooling.ts';

/**
 * Per-model conventions for Hugging Face embedding models: the prefixes they were trained with and how their
 * token vectors are pooled. Getting these wrong silently lowers retrieval quality, so they live in one place.
 */
export interface ModelProfile {
  /** Prepended to a search query before embedding. */
  queryPrefix: string;
  /** Prepended to each passage before embedding. */
  passagePrefix: string;
  /** 'cls' takes the first token's vector (BGE); 'mean' averages over the attention mask. */
  pooling: Pooling;
}

const BGE_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

/** Conventions for `modelId`, matched on the model name (e.g. "Xenova/bge-small-en-v1.5" -> BGE). */
export function profileFor(modelId: string): ModelProfile {
  const name = (modelId.split('/').pop() ?? modelId).toLowerCase();
  if (name.startsWith('bge-')) {
    // BGE v1.5 English models: CLS pooling; the instruction goes on queries only.
    return { queryPrefix: BGE_QUERY_PREFIX, passagePrefix: '', pooling: 'cls' };
  }
  if (/(^|-)e5-/.test(name) || name.startsWith('e5')) {
    return { queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling: 'mean' };
  }
  // all-MiniLM-L6-v2 and other sentence-transformers models, and the bundled static model.
  return { queryPrefix: '', passagePrefix: '', pooling: 'mean' };
}
