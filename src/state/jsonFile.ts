import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config.ts';
import { removeLeftovers } from '../index/leftovers.ts';

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
  await fs.mkdir(path.dirname(file), { recursive: true });
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
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`DATA_DIR (${dataDir}) is not a folder the bot can write to (${code})`, 'Point DATA_DIR at a writable folder in .env, or fix its permissions.');
  }
  await removeLeftovers(dataDir, TEMP_FILE);
}
