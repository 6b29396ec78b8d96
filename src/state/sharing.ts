import type { StateBackend } from '../config/config.ts';
import { AppError } from '../errors/appError.ts';

/**
 * Whether shard processes may share the store. The JSON files are one process's memory written out, so they are
 * refused unless there is exactly one shard. SQLite is fine for processes on one host (WAL mode, one transaction
 * per change); a process on another host is refused by the SQLite store itself when it opens the file. Redis is
 * made for it.
 */
export function refuseUnshareable(backend: StateBackend['kind'], shards: 'auto' | number): void {
  if (backend === 'json' && shards !== 1) {
    throw new AppError(
      'STATE_NOT_SHAREABLE',
      `STATE_URL=json keeps the state of one process and cannot be shared by shard processes (DISCORD_SHARDS=${shards})`,
      'Leave STATE_URL empty (SQLite, for shards on one host) or set it to redis://… (any number of hosts).',
    );
  }
}
