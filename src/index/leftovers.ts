import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Temporary files and folders carry the id of the process that made them, so that a later start can tell the ones a
 * killed process left behind (remove them) from the ones of a process still at work (leave them).
 */

/** A leftover this old is removed even if its process id is in use again (ids are reused). */
const OLDEST_KEPT_MS = 24 * 60 * 60_000;

/** True while a process with this id runs (EPERM: it runs, as another user). */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the entries of `dir` whose names match `pattern` (its capture group: the id of the process that made
 * them) when that process no longer runs, or when they are older than a day. A missing folder has none.
 */
export async function removeLeftovers(dir: string, pattern: RegExp): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = pattern.exec(name)?.slice(1).find((group) => group !== undefined);
    if (pid === undefined) continue;
    const full = path.join(dir, name);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat) continue;
    if (isRunning(Number(pid)) && Date.now() - stat.mtimeMs < OLDEST_KEPT_MS) continue;
    await fs.rm(full, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * `manifest.json.tmp-<pid>` and `.tmp-<pid>-<time>/` in an index folder (see generation.ts), and the
 * `.tmp-<generation>-<pid>-<time>[-old]/` folders of earlier versions.
 */
const INDEX_LEFTOVER = /^(?:manifest\.json\.tmp-(\d+)|\.tmp-(\d+)-\d+|\.tmp-g-[0-9a-f]+-(\d+)-\d+(?:-old)?)$/;
/** The HNSW files earlier versions wrote into the OS temp folder. */
const OLD_HNSW_LEFTOVER = /^hnsw-(\d+)-\d+\.bin$/;

/** Removes what killed builds left in `indexDir` and in the OS temp folder. Never touches a generation. */
export async function removeBuildLeftovers(indexDir: string): Promise<void> {
  await removeLeftovers(indexDir, INDEX_LEFTOVER);
  await removeLeftovers(os.tmpdir(), OLD_HNSW_LEFTOVER);
}
