import type { LockState } from './types.ts';

/** Locks for a store that only one process uses: held names in memory. */
export function localLocks(): LockState {
  const held = new Set<string>();
  return {
    async runExclusive(name, task) {
      if (held.has(name)) return { ran: false };
      held.add(name);
      try {
        return { ran: true, value: await task() };
      } finally {
        held.delete(name);
      }
    },
  };
}
