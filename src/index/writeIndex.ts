import fs from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from './manifest.ts';
import { sha256 } from './hash.ts';
import { MANIFEST_FILE } from './layout.ts';

/**
 * Writes one index generation atomically: the files go to a temporary folder that is renamed into place,
 * then manifest.json is replaced by a rename. A reader sees either the old manifest (whose generation
 * folder is kept) or the new one, never a mix; a build killed at any point leaves the old index loadable.
 */
export async function writeIndexAtomically(
  indexDir: string,
  files: Record<string, Uint8Array | string>,
  manifestWithoutFiles: Omit<Manifest, 'generation' | 'files'>,
): Promise<Manifest> {
  await fs.mkdir(indexDir, { recursive: true });
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

  await fs.mkdir(tmpDir, { recursive: true });
  try {
    for (const [name, data] of entries) await writeFileSynced(path.join(tmpDir, name), data);
    await fs.rm(finalDir, { recursive: true, force: true });
    await fs.rename(tmpDir, finalDir);
  } catch (error) {
    await fs.rm(tmpDir, { recursive: true, force: true });
    throw error;
  }

  const manifest: Manifest = { ...manifestWithoutFiles, generation, files: described };
  const manifestPath = path.join(indexDir, MANIFEST_FILE);
  const tmpManifest = `${manifestPath}.tmp-${process.pid}`;
  await writeFileSynced(tmpManifest, `${JSON.stringify(manifest, null, 2)}\n`);
  await fs.rename(tmpManifest, manifestPath);

  await removeStaleGenerations(indexDir, generation);
  return manifest;
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
 * Drops older generations and leftovers of killed builds. A loader that read the old manifest a moment
 * ago and finds its folder gone simply reads the manifest again (see loadIndex).
 */
async function removeStaleGenerations(indexDir: string, current: string): Promise<void> {
  const names = await fs.readdir(indexDir);
  const stale = names.filter((name) => (name.startsWith('g-') || name.startsWith('.tmp-')) && name !== current);
  // A temporary folder of a build still running in another process is young; leave it to that process.
  const now = Date.now();
  for (const name of stale) {
    const full = path.join(indexDir, name);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat) continue;
    if (name.startsWith('.tmp-') && now - stat.mtimeMs < 10 * 60_000) continue;
    await fs.rm(full, { recursive: true, force: true });
  }
}
