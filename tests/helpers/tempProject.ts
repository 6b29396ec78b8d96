import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config.ts';

/** A temporary corpus folder holding a copy of the shipped corpus, and an index folder beside it. */
export async function tempProject(options: { copyIndex?: boolean } = {}): Promise<{ root: string; corpusDir: string; indexDir: string; cleanup: () => Promise<void> }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'quote-bot-'));
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  await fs.mkdir(corpusDir);
  await fs.copyFile(path.join(PROJECT_ROOT, 'corpus/great-purge.txt'), path.join(corpusDir, 'great-purge.txt'));
  if (options.copyIndex) await fs.cp(path.join(PROJECT_ROOT, 'index'), indexDir, { recursive: true });
  return { root, corpusDir, indexDir, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}
