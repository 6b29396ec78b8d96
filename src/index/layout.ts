/**
 * The index on disk, in one place. An index folder holds `manifest.json` and one folder per generation
 * (`g-<hash of its files>/`); the manifest names the generation in use and the size and checksum of each of its
 * files. A build writes its generation into a temporary folder (`.tmp-…`) and renames it into place.
 */
export const MANIFEST_FILE = 'manifest.json';

/** The files of a generation. */
export const GENERATION_FILES = {
  /** Articles, sections, paragraphs (the verbatim text, once), chunks, sentences, vocabulary, FTS5 (schema.ts). */
  database: 'index.db',
  /** The hnswlib graph over the chunks' vectors; a point's label is its chunk's label in the database. */
  hnsw: 'hnsw.bin',
  /** The vocabulary's word vectors, float32 rows by word id (wordVectors.ts). */
  wordVectors: 'words.bin',
} as const;

export const INDEX_FILES: readonly string[] = Object.values(GENERATION_FILES);

/** Prefixes of the folders in an index folder: generations, and the temporary folders of builds. */
export const GENERATION_PREFIX = 'g-';
export const TEMPORARY_PREFIX = '.tmp-';
