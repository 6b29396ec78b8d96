import { AppError } from '../errors/appError.ts';
import type { BuildSummary } from '../index/types.ts';
import { botMetrics } from './metrics.ts';

/** Runs a build only when no other process is building; `{ ran: false }` when one is. */
export type RebuildLock = (build: () => Promise<BuildSummary>) => Promise<{ ran: true; value: BuildSummary } | { ran: false }>;

/**
 * One index build under the deployment's lock, counted in the metrics. When another process holds the lock this
 * one does not build: it rejects with REINDEX_ELSEWHERE, and picks up that build's index when its manifest changes.
 */
export async function lockedBuild(lock: RebuildLock | undefined, build: () => Promise<BuildSummary>): Promise<BuildSummary> {
  let result: Awaited<ReturnType<RebuildLock>>;
  try {
    result = lock ? await lock(build) : { ran: true, value: await build() };
  } catch (error) {
    botMetrics.reindexes.inc({ result: 'failed' });
    throw error;
  }
  if (!result.ran) {
    botMetrics.reindexes.inc({ result: 'elsewhere' });
    throw new AppError('REINDEX_ELSEWHERE', 'Another bot process is rebuilding the index right now', 'Every process answers from the new index as soon as it is done.');
  }
  botMetrics.reindexes.inc({ result: 'built' });
  return result.value;
}
