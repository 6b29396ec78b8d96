import { AppError } from '../errors/appError.ts';
import type { BackendInfo } from './types.ts';

/**
 * Whether `processes` bot processes may share the store. The JSON files are one process's memory written out, so
 * they are refused for more than one. SQLite is fine for processes on one host (WAL mode, one transaction per
 * change); a process on another host is refused by the SQLite store itself when it opens the file.
 */
export function refuseUnshareable(backend: Pick<BackendInfo, 'kind' | 'sharedBy'>, processes: number): void {
  if (backend.sharedBy === 'process' && processes > 1) {
    throw new AppError(
      'STATE_NOT_SHAREABLE',
      `STATE_URL=${backend.kind} keeps the state of one process and cannot be shared by ${processes} shard processes`,
      'Leave STATE_URL empty (SQLite, for shards on one host) or set it to redis://… (any number of hosts).',
    );
  }
}
