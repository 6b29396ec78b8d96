import fs from 'node:fs/promises';
import type { Db } from './indexDb.ts';

/**
 * The vocabulary's word vectors, in a file of their own beside the database (words.bin): float32 in the machine's byte
 * order (little-endian on x64 and arm64, as hnswlib writes hnsw.bin), one row of `dimensions` per word id from 0 to
 * the largest, zeros where an id is unused or the model does not know the word.
 * The bot reads it in one go (at 100,000 chunks, reading a vector per row from SQLite was most of opening an index);
 * a build writes it whole, from the previous generation's file and the vectors of the words it added.
 */

/** Reads a words.bin written for `dimensions`; throws when its size is not a whole number of rows. */
export async function readWordVectors(file: string, dimensions: number): Promise<Float32Array> {
  const bytes = await fs.readFile(file);
  const rowBytes = dimensions * Float32Array.BYTES_PER_ELEMENT;
  if (bytes.byteLength % rowBytes !== 0) throw new Error(`${bytes.byteLength} bytes is not a whole number of ${dimensions}-dimension vectors`);
  // A big file is read into a buffer of its own, aligned; a small one may sit in Node's shared pool at any offset.
  if (bytes.byteOffset % Float32Array.BYTES_PER_ELEMENT === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(new Uint8Array(bytes).buffer);
}

/**
 * Writes the vectors of the words table's words to `file`: `added` for words new to this build, the previous
 * generation's for the others (a full build has none), zeros for unused ids.
 */
export async function writeWordVectors(
  file: string,
  db: Db,
  dimensions: number,
  previous: Float32Array | undefined,
  added: ReadonlyMap<number, Float32Array>,
): Promise<void> {
  const ids = db.prepare('SELECT id FROM words ORDER BY id').pluck().all() as number[];
  const out = new Float32Array(((ids.at(-1) ?? -1) + 1) * dimensions);
  for (const id of ids) {
    const vector = added.get(id) ?? previous?.subarray(id * dimensions, (id + 1) * dimensions);
    // Every word is new or was in the previous generation, whose file must have its row: never a silent zero vector.
    if (!vector || vector.length !== dimensions) throw new Error(`no vector for word id ${id} in the previous generation's words.bin`);
    out.set(vector, id * dimensions);
  }
  await fs.writeFile(file, new Uint8Array(out.buffer));
}
