import fs from 'node:fs/promises';
import path from 'node:path';
import { isAppError } from '../errors/appError.ts';
import { FULL_REBUILD, IndexError, REBUILD } from './indexError.ts';
import { INDEX_FORMAT_VERSION, type Manifest } from './manifest.ts';
import { readHnsw, type HnswIndex } from './hnsw.ts';
import { sha256OfFile } from './fileHash.ts';
import { GENERATION_FILES, INDEX_FILES, MANIFEST_FILE } from './layout.ts';
import { SCHEMA_VERSION } from './schema.ts';
import { openIndexDbReadOnly, readMeta, type Db } from './indexDb.ts';
import type { Vocabulary } from './vocabulary.ts';
import { readWordVectors } from './wordVectors.ts';

/** A generation opened for answering: its database (read-only), its graph and its vocabulary's vectors in memory. */
export interface OpenIndex {
  dir: string;
  manifest: Manifest;
  db: Db;
  hnsw: HnswIndex;
  vocabulary: Vocabulary;
  /** Releases the database; the index must not be used afterwards. */
  close(): void;
}

/**
 * Opens and verifies an index folder. Every way it can be unusable (missing, damaged, another format, another model,
 * a database that is not this manifest's) is an IndexError whose message says which command fixes it.
 */
export async function loadIndex(indexDir: string, expectedModel: { id: string; hash: string }): Promise<OpenIndex> {
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

async function loadOnce(indexDir: string, expectedModel: { id: string; hash: string }): Promise<OpenIndex> {
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
  // Everything at once: the graph file is verified and then read (hnswlib trusts its file, and reads it off the main
  // thread), while the other files are verified (a big file is hashed on another core), the vocabulary is read (SQLite
  // reports a damaged file as an error, never worse) and its vectors. Nothing is used before all are done.
  checkListed(indexDir, manifest);
  const dir = path.join(indexDir, manifest.generation);
  const others = manifest.files.filter((f) => f.name !== GENERATION_FILES.hnsw);
  const graph = verifyFile(indexDir, manifest, GENERATION_FILES.hnsw).then(() =>
    readHnsw(path.join(dir, GENERATION_FILES.hnsw), manifest.model.dimensions, manifest.hnsw).catch((error: unknown) => {
      throw damaged(shown, manifest, GENERATION_FILES.hnsw, error);
    }),
  );
  const { dimensions } = manifest.model;
  const vectors = readWordVectors(path.join(dir, GENERATION_FILES.wordVectors), dimensions).catch((error: unknown) => {
    throw damaged(shown, manifest, GENERATION_FILES.wordVectors, error);
  });
  const [verified, read, opened, wordVectors] = await Promise.allSettled([
    Promise.all(others.map((f) => verifyFile(indexDir, manifest, f.name))),
    graph,
    openDatabase(dir, shown, manifest),
    vectors,
  ]);
  const failed = [verified, read, opened, wordVectors].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    if (opened.status === 'fulfilled') opened.value.db.close();
    // A build in another process may have removed this generation while it was read (a file gone between its stat and
    // its reading fails as "damaged"): say it is missing, so that loadIndex reads the manifest again.
    throw (await missingFile(indexDir, manifest)) ?? failed.reason;
  }
  const { db, vocabulary } = (opened as PromiseFulfilledResult<{ db: Db; vocabulary: Omit<Vocabulary, 'vectors' | 'dimensions'> }>).value;
  const hnsw = (read as PromiseFulfilledResult<HnswIndex>).value;
  const words = (wordVectors as PromiseFulfilledResult<Float32Array>).value;
  if (words.length !== vocabulary.words.length * dimensions) {
    db.close();
    throw damaged(shown, manifest, GENERATION_FILES.wordVectors, new Error(`it has ${words.length / dimensions} vectors for ${vocabulary.words.length} word ids`));
  }
  return { dir, manifest, db, hnsw, vocabulary: { ...vocabulary, vectors: words, dimensions }, close: () => db.close() };
}

/** Opens a generation's database read-only, checks that it belongs to the manifest, and reads its vocabulary. */
async function openDatabase(dir: string, shown: string, manifest: Manifest): Promise<{ db: Db; vocabulary: Omit<Vocabulary, 'vectors' | 'dimensions'> }> {
  let db: Db;
  try {
    db = openIndexDbReadOnly(path.join(dir, GENERATION_FILES.database));
  } catch (error) {
    throw damaged(shown, manifest, GENERATION_FILES.database, error);
  }
  try {
    const meta = readMeta(db);
    if (meta.get('fingerprint') !== manifest.fingerprint || meta.get('schema_version') !== String(SCHEMA_VERSION)) {
      throw new IndexError('INDEX_DAMAGED', `The database in ${shown}/${manifest.generation}/ does not belong to this index's manifest`, FULL_REBUILD);
    }
    return { db, vocabulary: await readVocabulary(db) };
  } catch (error) {
    db.close();
    if (error instanceof IndexError) throw error;
    throw damaged(shown, manifest, GENERATION_FILES.database, error);
  }
}

function damaged(shown: string, manifest: Manifest, file: string, error: unknown): IndexError {
  const why = error instanceof Error ? error.message : String(error);
  return new IndexError('INDEX_DAMAGED', `Index file ${shown}/${manifest.generation}/${file} cannot be read (${why})`, FULL_REBUILD);
}

/** Rows read between two yields to the event loop while the vocabulary loads. */
const VOCABULARY_SLICE = 20_000;

/**
 * The vocabulary's words, stems and rarity, by word id (ids may have gaps after incremental builds). Read in slices,
 * yielding between them, so that a bot preparing a big new index keeps answering.
 */
async function readVocabulary(db: Db): Promise<Omit<Vocabulary, 'vectors' | 'dimensions'>> {
  const max = (db.prepare('SELECT MAX(id) AS m FROM words').get() as { m: number | null }).m ?? -1;
  const words: string[] = new Array<string>(max + 1).fill('');
  const stems: string[] = new Array<string>(max + 1).fill('');
  const df = new Int32Array(max + 1);
  const slice = db.prepare('SELECT id, word, stem, df FROM words WHERE id > ? ORDER BY id LIMIT ?').raw(true);
  for (let after = -1; ; ) {
    const rows = slice.all(after, VOCABULARY_SLICE) as Array<[id: number, word: string, stem: string, df: number]>;
    for (const [id, word, stem, count] of rows) {
      words[id] = word;
      stems[id] = stem;
      df[id] = count;
    }
    if (rows.length < VOCABULARY_SLICE) break;
    after = rows.at(-1)![0];
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { words, stems, df };
}

/** Checks that the manifest's generation has every file, of the right size and checksum (all at once); returns its folder. */
async function verifyGeneration(indexDir: string, manifest: Manifest): Promise<string> {
  checkListed(indexDir, manifest);
  await Promise.all(manifest.files.map((file) => verifyFile(indexDir, manifest, file.name)));
  return path.join(indexDir, manifest.generation);
}

/** Throws when the manifest does not list every file this version's index has. */
function checkListed(indexDir: string, manifest: Manifest): void {
  const listed = new Set(manifest.files.map((f) => f.name));
  const absent = INDEX_FILES.filter((name) => !listed.has(name));
  if (absent.length > 0) throw new IndexError('INDEX_FORMAT', `The index in ${shownDir(indexDir)}/ lacks ${absent.join(', ')} (written by another version)`, FULL_REBUILD);
}

/** The error for the first file of the manifest's generation that is not there (any more), if any. */
async function missingFile(indexDir: string, manifest: Manifest): Promise<IndexError | undefined> {
  for (const { name } of manifest.files) {
    const there = await fs.stat(path.join(indexDir, manifest.generation, name)).then(() => true, () => false);
    if (!there) return new IndexError('INDEX_FILE_MISSING', `Index file ${shownDir(indexDir)}/${manifest.generation}/${name} is missing`, FULL_REBUILD);
  }
  return undefined;
}

/** Checks that one file of the manifest's generation is there, with the size and checksum the manifest gives. */
async function verifyFile(indexDir: string, manifest: Manifest, name: string): Promise<void> {
  const where = `${shownDir(indexDir)}/${manifest.generation}/${name}`;
  const file = manifest.files.find((f) => f.name === name);
  const full = path.join(indexDir, manifest.generation, name);
  const stat = await fs.stat(full).catch(() => undefined);
  if (!file || !stat) throw new IndexError('INDEX_FILE_MISSING', `Index file ${where} is missing`, FULL_REBUILD);
  const actual = stat.size === file.bytes ? await sha256OfFile(full, stat.size) : undefined;
  if (actual !== file.sha256) throw new IndexError('INDEX_DAMAGED', `Index file ${where} is damaged (its checksum does not match the manifest)`, FULL_REBUILD);
}

/**
 * The current manifest and generation folder when a build can start from them: same format, model and parameters,
 * and every file intact. Anything else (no index, a damaged one) means a build from scratch.
 */
export async function loadManifestIfUsable(indexDir: string, expected: Pick<Manifest, 'model' | 'chunking' | 'hnsw'>): Promise<{ manifest: Manifest; dir: string } | undefined> {
  try {
    const manifest = await readManifest(indexDir);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (manifest.formatVersion !== INDEX_FORMAT_VERSION || !same(manifest.model, expected.model) || !same(manifest.chunking, expected.chunking) || !same(manifest.hnsw, expected.hnsw)) {
      return undefined;
    }
    return { manifest, dir: await verifyGeneration(indexDir, manifest) };
  } catch {
    return undefined;
  }
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
