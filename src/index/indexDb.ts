import Database from 'better-sqlite3';
import type { Span } from '../text/span.ts';
import type { StoredFacts } from '../chunks/articleFacts.ts';
import { SCHEMA, SCHEMA_VERSION } from './schema.ts';

export type Db = Database.Database;

/** Pragmas of a database being written by a build (one transaction; a killed build's folder is thrown away). */
function forBuilding(db: Db): Db {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = ON');
  // 256 MiB of page cache: the term, variant and word indexes are filled in random key order, and with the default
  // 2 MiB every insert at 100,000 chunks went to disk for its page.
  db.pragma('cache_size = -262144');
  return db;
}

/** Creates a new, empty index database (the build fills it). */
export function createIndexDb(file: string): Db {
  const db = forBuilding(new Database(file));
  db.exec(SCHEMA);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
  return db;
}

/** Opens a copy of an earlier generation's database for an incremental build. */
export function openIndexDbForUpdate(file: string): Db {
  return forBuilding(new Database(file, { fileMustExist: true }));
}

/** Opens a generation's database for answering: read-only, never written. */
export function openIndexDbReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -65536'); // 64 MiB of page cache: the chunk rows of recent answers stay in memory
  return db;
}

export function readMeta(db: Db): Map<string, string> {
  return new Map((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
}

export function writeMeta(db: Db, entries: Record<string, string | number>): void {
  const upsert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  for (const [key, value] of Object.entries(entries)) upsert.run(key, String(value));
}

/** Little-endian int32 ids as stored in `chunks.words`. */
export function encodeIds(ids: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(ids.length * 4);
  for (let i = 0; i < ids.length; i++) out.writeInt32LE(ids[i]!, i * 4);
  return out;
}

export function decodeIds(blob: Buffer): Int32Array {
  const out = new Int32Array(blob.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = blob.readInt32LE(i * 4);
  return out;
}

/** A chunk's lexical terms as stored in `chunks.terms`: term id, then its count in the heading and in the body. */
export interface TermCount {
  termId: number;
  heading: number;
  body: number;
}

export function encodeTermCounts(counts: readonly TermCount[]): Buffer {
  const out = Buffer.alloc(counts.length * 8);
  counts.forEach((c, i) => {
    out.writeUInt32LE(c.termId, i * 8);
    out.writeUInt32LE((Math.min(c.heading, 0xffff) << 16) | Math.min(c.body, 0xffff), i * 8 + 4);
  });
  return out;
}

export function decodeTermCounts(blob: Buffer): TermCount[] {
  const out: TermCount[] = [];
  for (let i = 0; i < blob.byteLength; i += 8) {
    const packed = blob.readUInt32LE(i + 4);
    out.push({ termId: blob.readUInt32LE(i), heading: packed >>> 16, body: packed & 0xffff });
  }
  return out;
}


/** A chunk's sentence as stored: offsets relative to the chunk's text, its facts as JSON, its words' ids. */
export type SentenceRow = { chunk_label: number; start: number; end: number; facts: string; words: Buffer };

/** A chunk's sentences, in order. */
export interface StoredSentences {
  spans: Span[];
  facts: StoredFacts[];
  wordIds: Int32Array[];
}

/** Sentences by chunk label. */
export function groupSentences(rows: readonly SentenceRow[]): Map<number, StoredSentences> {
  const byChunk = new Map<number, StoredSentences>();
  for (const row of rows) {
    let entry = byChunk.get(row.chunk_label);
    if (!entry) byChunk.set(row.chunk_label, (entry = { spans: [], facts: [], wordIds: [] }));
    entry.spans.push([row.start, row.end]);
    entry.facts.push(JSON.parse(row.facts) as StoredFacts);
    entry.wordIds.push(decodeIds(row.words));
  }
  return byChunk;
}
