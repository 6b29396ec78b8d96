import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { prepareDataDir } from './jsonFile.ts';

const SALT_FILE = 'user-hash-salt';

/**
 * Logs and feedback identify users by a salted hash, never by their Discord id. Discord ids are
 * timestamps plus a counter, so an unsalted hash could be reversed by trying them all; the salt is
 * random, made once per installation and kept in the data folder.
 */
export async function createUserHasher(dataDir: string): Promise<(userId: string) => string> {
  const file = path.join(dataDir, SALT_FILE);
  await prepareDataDir(dataDir);
  // Exclusive create: if two processes start at once, one salt wins and both read it.
  await fs.writeFile(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const key = (await fs.readFile(file, 'utf8')).trim();
  return (userId) => createHash('sha256').update(`${key}:${userId}`).digest('hex');
}
