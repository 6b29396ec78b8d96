import type { Chunk } from '../chunks/types.ts';

/** A section as kept in the index, for /lookup, /sections and "closest sections" suggestions. */
export interface StoredSection {
  heading: string;
  path: string[];
  isReference: boolean;
  /** Verbatim paragraph texts. */
  paragraphs: string[];
}

export interface StoredArticle {
  id: string;
  title: string;
  file: string;
  sourceUrl?: string;
  sections: StoredSection[];
}

export interface StoredChunk extends Chunk {
  /** Hash of the text that was embedded (context + chunk text); a vector is reused only when it matches. */
  embedHash: string;
}

/** Contents of chunks.json. */
export interface ChunkStore {
  articles: StoredArticle[];
  chunks: StoredChunk[];
}
