import type { ChunkStore } from './storedIndex.ts';
import type { Vocabulary } from './vocabulary.ts';

/**
 * The index on disk, in one place. An index folder holds `manifest.json` and one folder per generation
 * (`g-<hash>/`); the manifest names the generation in use and the size and checksum of each of its files.
 */
export const MANIFEST_FILE = 'manifest.json';

/** The files of a generation. */
export const GENERATION_FILES = {
  /** Articles (with section texts) and chunks, as JSON (`ChunkStore`). */
  chunks: 'chunks.json',
  /** One float32 unit vector per chunk, row-major, in chunk order. */
  vectors: 'vectors.bin',
  /** The hnswlib graph over `vectors`; label i is chunk i. */
  hnsw: 'hnsw.bin',
  /** The vocabulary's words, as a JSON array. */
  vocabularyWords: 'vocabulary.json',
  /** One float32 vector per vocabulary word, row-major. */
  vocabularyVectors: 'vocabulary.bin',
} as const;

export const INDEX_FILES: readonly string[] = Object.values(GENERATION_FILES);

/** A generation's contents, decoded. */
export interface GenerationData {
  store: ChunkStore;
  vectors: Float32Array;
  vocabulary: Vocabulary;
}

/**
 * The bytes of each file of a generation. The chunk store comes serialised (the build fingerprints that text), the
 * HNSW graph too (hnswlib writes it itself, see hnsw.ts).
 */
export function encodeGeneration(
  data: Omit<GenerationData, 'store'> & { storeJson: string },
  hnswBytes: Uint8Array,
): Record<string, Uint8Array | string> {
  const bytes = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return {
    [GENERATION_FILES.chunks]: data.storeJson,
    [GENERATION_FILES.vectors]: bytes(data.vectors),
    [GENERATION_FILES.hnsw]: hnswBytes,
    [GENERATION_FILES.vocabularyWords]: JSON.stringify(data.vocabulary.words),
    [GENERATION_FILES.vocabularyVectors]: bytes(data.vocabulary.vectors),
  };
}

/** Decodes the files read by the loader (verified against the manifest already). */
export function decodeGeneration(files: ReadonlyMap<string, Buffer>, dimensions: number): GenerationData {
  // Copy into an aligned buffer: a Buffer's offset into Node's pool need not be a multiple of 4.
  const floats = (name: string) => new Float32Array(new Uint8Array(files.get(name)!).buffer);
  return {
    store: JSON.parse(files.get(GENERATION_FILES.chunks)!.toString('utf8')) as ChunkStore,
    vectors: floats(GENERATION_FILES.vectors),
    vocabulary: {
      words: JSON.parse(files.get(GENERATION_FILES.vocabularyWords)!.toString('utf8')) as string[],
      vectors: floats(GENERATION_FILES.vocabularyVectors),
      dimensions,
    },
  };
}
