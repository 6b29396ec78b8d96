import { AppError } from '../errors/appError.ts';
import type { BuildSummary } from '../index/types.ts';

/** Runs a build only when no other process is building; `{ ran: false }` when one is. */
export type RebuildLock = (build: () => Promise<BuildSummary>) => Promise<{ ran: true; value: BuildSummary } | { ran: false }>;

/** How a requested rebuild ended: built here, left to the process already building, or failed. */
export type ReindexResult = 'built' | 'elsewhere' | 'failed';

/**
 * One index build under the deployment's lock, each outcome reported to `count` (the bot's metrics). When another
 * process holds the lock this one does not build: it rejects with REINDEX_ELSEWHERE, and picks up that build's index
 * when its manifest changes.
 */
export async function lockedBuild(lock: RebuildLock | undefined, build: () => Promise<BuildSummary>, count: (result: ReindexResult) => void = () => {}): Promise<BuildSummary> {
  let result: Awaited<ReturnType<RebuildLock>>;
  try {
    result = lock ? await lock(build) : { ran: true, value: await build() };
  } catch (error) {
    count('failed');
    throw error;
  }
  if (!result.ran) {
    count('elsewhere');
    throw new AppError('REINDEX_ELSEWHERE', 'Another bot process is rebuilding the index right now', 'Every process answers from the new index as soon as it is done.');
  }
  count('built');
  return result.value;
}
