import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The bundled model's token vectors, one float32 row per token id, in a file of the model cache. The bundled model
 * is a static embedding (its ONNX graph is Gather → Cast → Mul: models/README.md), so the vector it gives a token
 * does not depend on the tokens around it, and a text's embedding is the pooled rows of its tokens (pooling.ts).
 * Read from this file, the model needs neither transformers.js nor onnxruntime: loading them was half of
 * `npm run ask`'s start-up. The rows are made once, by the ONNX model itself through transformers.js, the first
 * time the bundled model loads; the file is named after the model files' hash, so other weights get other rows.
 *
 * Layout: uint32 rows, uint32 dimensions (little-endian), then rows × dimensions float32 in the machine's byte order.
 */
const HEADER_BYTES = 8;

export function tokenVectorsFile(cacheDir: string, modelHash: string): string {
  return path.join(cacheDir, `bundled-${modelHash.slice(0, 16)}.token-vectors`);
}

/** The rows in `file`, when it holds exactly `rows` of them; undefined when it is missing, short or of another shape. */
export function readTokenVectors(file: string, rows: number): { vectors: Float32Array; dimensions: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    // Read synchronously, straight into place: 20 MB through fs.promises took 0.1 s of round trips and a copy.
    const header = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return undefined;
    const dimensions = header.readUInt32LE(4);
    if (header.readUInt32LE(0) !== rows || dimensions === 0 || fstatSync(fd).size !== HEADER_BYTES + rows * dimensions * 4) return undefined;
    const vectors = new Float32Array(rows * dimensions);
    const bytes = new Uint8Array(vectors.buffer);
    for (let done = 0; done < bytes.length; ) {
      const n = readSync(fd, bytes, done, bytes.length - done, HEADER_BYTES + done);
      if (n === 0) return undefined;
      done += n;
    }
    return { vectors, dimensions };
  } finally {
    closeSync(fd);
  }
}

/** Writes the rows, atomically (a temporary file renamed into place), so a reader never sees half a file. */
export async function writeTokenVectors(file: string, vectors: Float32Array, dimensions: number): Promise<void> {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(vectors.length / dimensions, 0);
  header.writeUInt32LE(dimensions, 4);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temporary, Buffer.concat([header, new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength)]));
    await fs.rename(temporary, file);
  } finally {
    await fs.rm(temporary, { force: true });
  }
}

/**
 * A batch's token vectors from the rows: [texts, sequence, dimensions], as the ONNX model returns its
 * last_hidden_state, except at padding positions (mask 0), which pooling skips and are left zero here.
 */
export function lookUpTokens(vectors: Float32Array, dimensions: number, ids: BigInt64Array, mask: BigInt64Array): Float32Array {
  const hidden = new Float32Array(ids.length * dimensions);
  for (let t = 0; t < ids.length; t++) {
    if (mask[t] === 0n) continue;
    const row = Number(ids[t]!) * dimensions;
    const at = t * dimensions;
    for (let d = 0; d < dimensions; d++) hidden[at + d] = vectors[row + d]!;
  }
  return hidden;
}
