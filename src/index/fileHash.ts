import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Files at least this big are hashed in a worker thread, so that the caller's thread can go on meanwhile. */
const WORKER_FROM_BYTES = 64 * 1024 * 1024;

/**
 * The worker, as plain CommonJS evaluated from a string: it needs no file of its own, so it runs the same from the
 * sources (tsx), the compiled `dist/` and the tests. It reads in 4 MiB blocks and answers the hex digest.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const hash = createHash('sha256');
const fd = fs.openSync(workerData, 'r');
try {
  const block = Buffer.allocUnsafe(4 * 1024 * 1024);
  for (let n; (n = fs.readSync(fd, block, 0, block.length, null)) > 0; ) hash.update(block.subarray(0, n));
} finally {
  fs.closeSync(fd);
}
parentPort.postMessage(hash.digest('hex'));
`;

/**
 * The sha256 of a file, in hex. A big file (an index database can be gigabytes) is hashed on another core, which
 * lets the opening of an index read its vocabulary while its files are verified.
 */
export async function sha256OfFile(file: string, bytes: number): Promise<string> {
  if (bytes < WORKER_FROM_BYTES) return hashOnThisThread(file);
  return new Promise<string>((resolve, reject) => {
    // No inherited execArgv: the worker needs no loader, and the launcher's --import must not run twice.
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: file, execArgv: [] });
    worker.once('message', (digest: string) => resolve(digest));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`hashing ${file} stopped with exit code ${code}`));
    });
  });
}

async function hashOnThisThread(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
