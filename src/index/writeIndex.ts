import fs from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from './manifest.ts';
import { sha256 } from './hash.ts';
import { MANIFEST_FILE } from './layout.ts';
import { removeBuildLeftovers } from './leftovers.ts';

/**
 * Writes one index generation atomically: the files go to a temporary folder that is renamed into place,
 * then manifest.json is replaced by a rename. A reader sees either the old manifest (whose generation
 * folder is kept) or the new one, never a mix; a build killed at any point leaves the old index loadable.
 * The folder manifest.json points to is never deleted or replaced: a generation's name is a hash of its files, so a
 * folder of that name that holds those files is kept as it is (a `--full` rebuild of an unchanged corpus).
 */
export async function writeIndexAtomically(
  indexDir: string,
  files: Record<string, Uint8Array | string>,
  manifestWithoutFiles: Omit<Manifest, 'generation' | 'files'>,
): Promise<Manifest> {
  await fs.mkdir(indexDir, { recursive: true });
  await removeBuildLeftovers(indexDir);
  const entries = Object.entries(files).sort(([a], [b]) => a.localeCompare(b));
  const described = entries.map(([name, data]) => ({
    name,
    bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength,
    sha256: sha256(data),
  }));
  // Same content, same folder name: a rebuild that changes nothing rewrites nothing in git.
  const generation = `g-${sha256(described.map((f) => `${f.name}:${f.sha256}`).join('\n')).slice(0, 12)}`;
  const finalDir = path.join(indexDir, generation);
  const tmpDir = path.join(indexDir, `.tmp-${generation}-${process.pid}-${Date.now()}`);

  if (!(await holdsFiles(finalDir, described))) {
    await fs.mkdir(tmpDir, { recursive: true });
    try {
      for (const [name, data] of entries) await writeFileSynced(path.join(tmpDir, name), data);
      await replaceFolder(finalDir, tmpDir);
    } catch (error) {
      await fs.rm(tmpDir, { recursive: true, force: true });
      throw error;
    }
  }

  const manifest: Manifest = { ...manifestWithoutFiles, generation, files: described };
  const manifestPath = path.join(indexDir, MANIFEST_FILE);
  const tmpManifest = `${manifestPath}.tmp-${process.pid}`;
  await writeFileSynced(tmpManifest, `${JSON.stringify(manifest, null, 2)}\n`);
  await fs.rename(tmpManifest, manifestPath);

  await removeStaleGenerations(indexDir, generation);
  return manifest;
}

/** True when `dir` holds exactly these files (names, sizes, checksums). */
async function holdsFiles(dir: string, files: ReadonlyArray<{ name: string; bytes: number; sha256: string }>): Promise<boolean> {
  const names = await fs.readdir(dir).catch(() => undefined);
  if (!names || names.length !== files.length) return false;
  for (const f of files) {
    const data = await fs.readFile(path.join(dir, f.name)).catch(() => undefined);
    if (!data || data.byteLength !== f.bytes || sha256(data) !== f.sha256) return false;
  }
  return true;
}

/**
 * Puts `source` at `target`. A damaged folder already at `target` (no manifest can be using it as it is) is moved
 * aside first and removed after, so a kill in between leaves a leftover to clean, not a half-deleted folder.
 */
async function replaceFolder(target: string, source: string): Promise<void> {
  const aside = `${source}-old`;
  const existed = await fs.rename(target, aside).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  await fs.rename(source, target);
  if (existed) await fs.rm(aside, { recursive: true, force: true });
}

async function writeFileSynced(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Drops older generations (leftovers of killed builds go at the start of the next one). A loader that read the old
 * manifest a moment ago and finds its folder gone simply reads the manifest again (see loadIndex).
 */
async function removeStaleGenerations(indexDir: string, current: string): Promise<void> {
  const names = await fs.readdir(indexDir);
  for (const name of names.filter((n) => n.startsWith('g-') && n !== current)) {
    await fs.rm(path.join(indexDir, name), { recursive: true, force: true });
  }
}
