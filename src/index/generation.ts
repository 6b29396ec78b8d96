import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Manifest, ManifestFile } from './manifest.ts';
import { GENERATION_PREFIX, MANIFEST_FILE, TEMPORARY_PREFIX } from './layout.ts';
import { removeBuildLeftovers } from './leftovers.ts';
import { sha256OfFile } from './fileHash.ts';

/** A generation being written: its files go into `dir`, a temporary folder inside the index folder. */
export interface NewGeneration {
  dir: string;
  /**
   * Makes the generation the index: names its folder after its files' hash, then replaces manifest.json by a rename.
   * A reader sees either the old manifest (whose generation folder is kept until then) or the new one, never a mix.
   */
  commit(manifest: Omit<Manifest, 'generation' | 'files'>): Promise<Manifest>;
  /** Removes the temporary folder (a failed build). */
  discard(): Promise<void>;
}

export async function startGeneration(indexDir: string): Promise<NewGeneration> {
  await fs.mkdir(indexDir, { recursive: true });
  await removeBuildLeftovers(indexDir);
  const dir = path.join(indexDir, `${TEMPORARY_PREFIX}${process.pid}-${Date.now()}`);
  await fs.mkdir(dir);
  return {
    dir,
    discard: () => fs.rm(dir, { recursive: true, force: true }),
    async commit(manifestWithoutFiles) {
      const names = (await fs.readdir(dir)).sort();
      const files: ManifestFile[] = await Promise.all(names.map((name) => describeFile(path.join(dir, name), name)));
      // Same content, same folder name: a rebuild that changes nothing rewrites nothing in git.
      const generation = `${GENERATION_PREFIX}${createHash('sha256').update(files.map((f) => `${f.name}:${f.sha256}`).join('\n')).digest('hex').slice(0, 12)}`;
      const finalDir = path.join(indexDir, generation);
      if (await exists(finalDir)) {
        // The folder already holds exactly these files (its name is their hash): never touch what a manifest may name.
        await fs.rm(dir, { recursive: true, force: true });
      } else {
        await fs.rename(dir, finalDir);
      }
      const manifest: Manifest = { ...manifestWithoutFiles, generation, files };
      const manifestPath = path.join(indexDir, MANIFEST_FILE);
      const tmpManifest = `${manifestPath}${TEMPORARY_PREFIX}${process.pid}`;
      await writeFileSynced(tmpManifest, `${JSON.stringify(manifest, null, 2)}\n`);
      await fs.rename(tmpManifest, manifestPath);
      await removeStaleGenerations(indexDir, generation);
      return manifest;
    },
  };
}

/** Size and sha256 of a file (an index file can be gigabytes); with `sync`, flushed to disk first. */
export async function describeFile(file: string, name: string, options: { sync: boolean } = { sync: true }): Promise<ManifestFile> {
  const { size } = await fs.stat(file);
  // The hash reads what the page cache holds while the disk catches up: both at once.
  const [sha256] = await Promise.all([sha256OfFile(file, size), options.sync ? syncFile(file) : undefined]);
  return { name, bytes: size, sha256 };
}

async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

async function writeFileSynced(file: string, data: string): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Drops older generations. A loader that read the old manifest a moment ago and finds its folder gone simply reads
 * the manifest again (see loadIndex); a bot still answering from an old generation has its files open.
 */
async function removeStaleGenerations(indexDir: string, current: string): Promise<void> {
  for (const name of await fs.readdir(indexDir)) {
    if (name.startsWith(GENERATION_PREFIX) && name !== current) await fs.rm(path.join(indexDir, name), { recursive: true, force: true });
  }
}
