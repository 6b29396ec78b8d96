import fs from 'node:fs/promises';
import path from 'node:path';
import { isAppError } from '../errors/appError.ts';
import { FULL_REBUILD, IndexError, REBUILD } from './indexError.ts';
import { INDEX_FORMAT_VERSION, type Manifest } from './manifest.ts';
import type { StoredArticle, StoredChunk } from './storedIndex.ts';
import { readHnsw, type HnswIndex } from './hnsw.ts';
import { sha256 } from './hash.ts';
import { GENERATION_FILES, INDEX_FILES, MANIFEST_FILE, decodeGeneration } from './layout.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface LoadedIndex {
  dir: string;
  manifest: Manifest;
  articles: StoredArticle[];
  chunks: StoredChunk[];
  /** Row-major, one unit vector per chunk, in chunk order. */
  vectors: Float32Array;
  hnsw: HnswIndex;
  vocabulary: Vocabulary;
}

/**
 * Loads and verifies an index folder. Every way it can be unusable (missing, damaged, another format,
 * another model) is an IndexError whose message says which command fixes it.
 */
export async function loadIndex(indexDir: string, expectedModel: { id: string; hash: string }): Promise<LoadedIndex> {
  try {
    return await loadOnce(indexDir, expectedModel);
  } catch (error) {
    // A build in another process may have swapped generations between our reading the manifest and its files.
    if (isAppError(error, 'INDEX_FILE_MISSING')) return loadOnce(indexDir, expectedModel);
    throw error;
  }
}

function shownDir(indexDir: string): string {
  return path.relative(process.cwd(), indexDir) || '.';
}

async function loadOnce(indexDir: string, expectedModel: { id: string; hash: string }): Promise<LoadedIndex> {
  const shown = shownDir(indexDir);
  const manifest = await readManifest(indexDir);
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexError('INDEX_FORMAT', `The index in ${shown}/ was written in format ${manifest.formatVersion}, this version reads format ${INDEX_FORMAT_VERSION}`, FULL_REBUILD);
  }
  if (manifest.model.id !== expectedModel.id || manifest.model.hash !== expectedModel.hash) {
    if (manifest.model.id === expectedModel.id) {
      throw new IndexError('INDEX_MODEL', `The index in ${shown}/ was built with another version of the model "${expectedModel.id}" (its files changed)`, REBUILD);
    }
    throw new IndexError(
      'INDEX_MODEL',
      `The index in ${shown}/ was built with model "${manifest.model.id}", but EMBEDDING_MODEL is "${expectedModel.id}"`,
      'Run `npm run build-index` (or set EMBEDDING_MODEL back).',
    );
  }

  const listed = new Set(manifest.files.map((f) => f.name));
  const absent = INDEX_FILES.filter((name) => !listed.has(name));
  if (absent.length > 0) {
    throw new IndexError('INDEX_FORMAT', `The index in ${shown}/ lacks ${absent.join(', ')} (written by another version)`, FULL_REBUILD);
  }
  const generationDir = path.join(indexDir, manifest.generation);
  const contents = new Map<string, Buffer>();
  for (const file of manifest.files) {
    const data = await fs.readFile(path.join(generationDir, file.name)).catch(() => undefined);
    if (!data) throw new IndexError('INDEX_FILE_MISSING', `Index file ${shown}/${manifest.generation}/${file.name} is missing`, FULL_REBUILD);
    if (data.byteLength !== file.bytes || sha256(data) !== file.sha256) {
      throw new IndexError('INDEX_DAMAGED', `Index file ${shown}/${manifest.generation}/${file.name} is damaged (its checksum does not match the manifest)`, FULL_REBUILD);
    }
    contents.set(file.name, data);
  }

  const dims = manifest.model.dimensions;
  const { store, vectors, vocabulary } = decodeGeneration(contents, dims);
  if (vectors.length !== store.chunks.length * dims) {
    throw new IndexError('INDEX_DAMAGED', `Index in ${shown}/ is inconsistent (vectors do not match chunks)`, FULL_REBUILD);
  }
  let hnsw: HnswIndex;
  try {
    hnsw = readHnsw(path.join(generationDir, GENERATION_FILES.hnsw), dims, manifest.hnsw);
  } catch (error) {
    throw new IndexError('INDEX_DAMAGED', `Index file ${shown}/${manifest.generation}/${GENERATION_FILES.hnsw} cannot be read (${(error as Error).message})`, FULL_REBUILD);
  }
  return { dir: indexDir, manifest, articles: store.articles, chunks: store.chunks, vectors, hnsw, vocabulary };
}

export async function readManifest(indexDir: string): Promise<Manifest> {
  const shown = shownDir(indexDir);
  let raw: string;
  try {
    raw = await fs.readFile(path.join(indexDir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new IndexError('INDEX_MISSING', `No index found in ${shown}/`, REBUILD);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(raw) as Manifest;
  } catch {
    throw new IndexError('INDEX_DAMAGED', `The index manifest ${shown}/${MANIFEST_FILE} is damaged (not valid JSON)`, FULL_REBUILD);
  }
  if (typeof manifest !== 'object' || manifest === null || !Array.isArray(manifest.files) || typeof manifest.generation !== 'string' || !manifest.model) {
    throw new IndexError('INDEX_DAMAGED', `The index manifest ${shown}/${MANIFEST_FILE} is damaged (fields are missing)`, FULL_REBUILD);
  }
  return manifest;
}
