import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config.ts';

/** A fresh empty folder under the OS temp folder; the test removes it with `removeDir`. */
export function makeTempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `quotebot-${prefix}-`));
}

export function removeDir(dir: string): Promise<void> {
  return fs.rm(dir, { recursive: true, force: true });
}

/** The committed index/, or INDEX_DIR when the environment sets it (to try the tests against another build). */
export function testIndexDir(): string {
  return path.resolve(PROJECT_ROOT, process.env.INDEX_DIR || 'index');
}

export interface TempProject {
  root: string;
  corpusDir: string;
  indexDir: string;
  dataDir: string;
  cleanup(): Promise<void>;
}

/**
 * A private copy of the project's data folders, for tests that change them: corpus/ (the shipped corpus), index/
 * (a copy of the committed index with `copyIndex`, else empty) and data/ (empty).
 */
export async function tempProject(options: { copyIndex?: boolean } = {}): Promise<TempProject> {
  const root = await makeTempDir('project');
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  const dataDir = path.join(root, 'data');
  await fs.cp(path.join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
  if (options.copyIndex) await fs.cp(testIndexDir(), indexDir, { recursive: true });
  return { root, corpusDir, indexDir, dataDir, cleanup: () => removeDir(root) };
}
