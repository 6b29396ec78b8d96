export type { Chunk } from './types.ts';
export { DEFAULT_MAX_CHARS, chunkArticle, chunkId, embeddingText, groupSentences, type ChunkOptions } from './chunkArticle.ts';
export { splitSentences } from './sentences.ts';
