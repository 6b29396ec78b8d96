import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config.ts';
import { removeLeftovers } from '../index/leftovers.ts';

/**
 * Makes a folder and its missing parents, each with one mkdir from the top down, and throws the first refusal.
 * Not `fs.mkdir(dir, { recursive: true })`: on Node 20 that never returns for a path under a folder that refuses new
 * entries with ENOENT (as /proc does), and a bot with such a DATA_DIR would hang instead of saying so.
 */
export async function makeDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const stat = await fs.stat(d).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stat?.isDirectory()) break;
    if (stat) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' });
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    await fs.mkdir(d).catch((error: NodeJS.ErrnoException) => {
      // Made meanwhile by another process: fine.
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** Reads a JSON file; undefined when it does not exist. */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes via a temporary file and rename, so a crash mid-write never leaves a half-written file. */
export async function writeJsonFileAtomic(file: string, value: unknown): Promise<void> {
  await makeDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value));
  await fs.rename(tmp, file);
}

/** Temporary files of writeJsonFileAtomic: `<file>.<pid>.<random>.tmp`. */
const TEMP_FILE = /^.+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Makes sure the data folder exists and can be written (a one-sentence error naming DATA_DIR otherwise, not a
 * stack trace), and removes the temporary files that killed processes left in it.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  const probe = path.join(dataDir, `.write-test.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await makeDir(dataDir);
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`DATA_DIR (${dataDir}) is not a folder the bot can write to (${code})`, 'Point DATA_DIR at a writable folder in .env, or fix its permissions.');
  }
  await removeLeftovers(dataDir, TEMP_FILE);
}
