/**
 * A build killed at its worst moments (`build-index` in a child process that kills itself) leaves a loadable index,
 * and what killed builds and saves leave behind is cleaned at the next start; nothing is written outside INDEX_DIR,
 * DATA_DIR and the project's own folder in the OS temp folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadIndex, readManifest } from '../src/index/loadIndex.ts';
import { runNode } from './helpers/runNode.ts';
import { makeTempDir, removeDir, tempProject, type TempProject } from './helpers/tempProject.ts';

let project: TempProject;
let tmp: string;

beforeEach(async () => {
  project = await tempProject({ copyIndex: true });
  tmp = await makeTempDir('os-tmp');
});
afterEach(async () => {
  await project.cleanup();
  await removeDir(tmp);
});

/** `npm run build-index -- …args` on the temp project, with the OS temp folder at `tmp`; `killAt` kills it at a rename. */
function build(args: string[], killAt?: string) {
  const preload = killAt ? ['--import', './tests/helpers/killAtRename.ts'] : [];
  return runNode([...preload, 'scripts/build-index.ts', '--corpus', project.corpusDir, '--out', project.indexDir, ...args], {
    timeoutMs: 120_000,
    env: { TMPDIR: tmp, ...(killAt ? { KILL_AT_RENAME: killAt } : {}) },
  });
}

/** A process id that is certainly not running. */
const DEAD_PID = 999_999_999;

const model = async () => ({ id: (await readManifest(project.indexDir)).model.id, hash: (await readManifest(project.indexDir)).model.hash });

describe('an interrupted build', () => {
  it('a --full rebuild of an unchanged corpus, killed where it replaces the generation folder, leaves the index loadable', async () => {
    const before = await readManifest(project.indexDir);
    const result = await build(['--full'], '^g-');
    const after = await loadIndex(project.indexDir, await model());
    expect(after.manifest.fingerprint).toBe(before.fingerprint);
    expect(after.hnsw.getCurrentCount()).toBeGreaterThan(0);
    after.close();
    // The folder already holds exactly these files, so nothing is renamed onto it: the build simply completes.
    expect(result.status).toBe(0);
  });

  it('a build killed while it swaps the manifest leaves the old index loadable, and the next build cleans up after it', async () => {
    await fs.appendFile(path.join(project.corpusDir, 'great-purge.txt'), '\n\nAn added paragraph so that the build has something to write.\n');
    const killed = await build([], '^manifest\\.json$');
    expect(killed.signal).toBe('SIGKILL');
    expect((await fs.readdir(project.indexDir)).some((name) => name.startsWith('manifest.json.tmp-'))).toBe(true);
    (await loadIndex(project.indexDir, await model())).close();

    // Leftovers as older versions and other killed processes left them.
    await fs.mkdir(path.join(project.indexDir, `.tmp-g-0123456789ab-${DEAD_PID}-1`));
    await fs.writeFile(path.join(tmp, `hnsw-${DEAD_PID}-1.bin`), 'x');

    const next = await build([]);
    expect(next.status).toBe(0);
    const manifest = await readManifest(project.indexDir);
    expect((await fs.readdir(project.indexDir)).sort()).toEqual([manifest.generation, 'manifest.json'].sort());
    // Nothing is left in the OS temp folder (tsx, which runs the TypeScript, keeps its compile cache there).
    expect((await fs.readdir(tmp)).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
  });
});
