/** The checksums that verify an index: the same digest whether a file is hashed here or, when big, in a worker thread. */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256OfFile } from '../src/index/fileHash.ts';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'quotebot-hash-'));
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

async function fileOf(bytes: number): Promise<{ file: string; expected: string }> {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i + 4 <= bytes; i += 4096) data.writeUInt32LE(i, i);
  const file = path.join(dir, `f-${bytes}`);
  await fs.writeFile(file, data);
  return { file, expected: createHash('sha256').update(data).digest('hex') };
}

describe('sha256OfFile', () => {
  it('hashes a small file on this thread and a big one (an index database) in a worker, to the same digest', async () => {
    for (const bytes of [0, 1_000, 70 * 1024 * 1024 + 3]) {
      const { file, expected } = await fileOf(bytes);
      expect(await sha256OfFile(file, bytes), `${bytes} bytes`).toBe(expected);
    }
  });

  it('rejects, not crashes, when the file is gone', async () => {
    await expect(sha256OfFile(path.join(dir, 'missing'), 100 * 1024 * 1024)).rejects.toThrow();
    await expect(sha256OfFile(path.join(dir, 'missing'), 10)).rejects.toThrow();
  });
});
