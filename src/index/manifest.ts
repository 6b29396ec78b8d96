import { sha256 } from './hash.ts';
import { SCHEMA_VERSION } from './schema.ts';

/**
 * The index manifest: what the index was built from and with, so a loader can tell a usable index
 * from a stale, foreign or damaged one (like MiniSearch's serializationVersion, but for the whole folder).
 * Format 3: per generation, one SQLite database, one HNSW graph and the vocabulary's word vectors (format 2 kept them in the database).
 */
export const INDEX_FORMAT_VERSION = 3;

export interface HnswParams {
  space: 'cosine';
  m: number;
  efConstruction: number;
  /** Search-time candidate list size (hnswlib's ef); readIndex resets it, so the loader sets it again. */
  efSearch: number;
  randomSeed: number;
}

export interface ChunkingParams {
  maxChars: number;
  /** Version of the parsing and chunking rules (see DEFAULT_CHUNKING). */
  version: number;
}

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  formatVersion: number;
  builtAt: string;
  model: { id: string; dimensions: number; hash: string };
  hnsw: HnswParams;
  chunking: ChunkingParams;
  /**
   * Hash of everything the index is a function of (format, model, parameters, what is stored of each article). A
   * build whose fingerprint matches writes nothing; `build-index --check` compares it with a fresh plan of the corpus.
   */
  fingerprint: string;
  /** Folder (inside the index folder) that holds this generation's files. */
  generation: string;
  files: ManifestFile[];
  counts: { articles: number; sections: number; chunks: number };
}

/** The fingerprint of an index: `articles` are [article id, articleChunksHash] in corpus order. */
export function indexFingerprint(parts: {
  model: Manifest['model'];
  hnsw: HnswParams;
  chunking: ChunkingParams;
  articles: ReadonlyArray<readonly [string, string]>;
}): string {
  return sha256(
    JSON.stringify({ formatVersion: INDEX_FORMAT_VERSION, schema: SCHEMA_VERSION, model: parts.model, hnsw: parts.hnsw, chunking: parts.chunking, articles: parts.articles }),
  );
}
