import type { Redis } from 'ioredis';
import { STATE_TUNING } from '../../config/tuning.ts';
import type { Logger } from '../../log/logger.ts';
import { stateMetrics } from '../../service/metrics.ts';

/**
 * How the Redis store lives through an outage. Reads that fail give a fallback (an empty history, no rate limit
 * but the local one), so answers go on. Writes that fail are kept in memory, in order, and replayed when the
 * client is ready again; the log says when the outage starts, and how many writes were saved when it ends.
 */
export interface Degrader {
  read<T>(what: string, op: () => Promise<T>, fallback: () => T): Promise<T>;
  write(what: string, op: () => Promise<unknown>): Promise<void>;
  /** Writes not yet saved. */
  pending(): number;
  /** Replays the kept writes now (also done on every reconnect). */
  flush(): Promise<void>;
  close(): void;
}

interface Deferred {
  what: string;
  op: () => Promise<unknown>;
}

export function createDegrader(client: Redis, logger: Logger): Degrader {
  const queue: Deferred[] = [];
  let outage = false;
  let flushing: Promise<void> | undefined;

  const startOutage = (what: string, error: unknown) => {
    if (outage) return;
    outage = true;
    logger.warn(
      { event: 'state_unreachable', what, err: error },
      'state store unreachable: answering without it; its writes are kept in memory and saved when it is back',
    );
  };

  const keep = (entry: Deferred) => {
    queue.push(entry);
    if (queue.length > STATE_TUNING.deferredWritesMax) {
      const dropped = queue.shift()!;
      logger.error({ event: 'state_write_lost', what: dropped.what }, 'too many state writes waiting for the store; the oldest was dropped');
    }
    stateMetrics.pendingWrites.set(queue.length);
  };

  async function replay(): Promise<void> {
    const saved = queue.length;
    while (queue.length > 0) {
      const next = queue[0]!;
      try {
        await next.op();
      } catch (error) {
        if (client.status === 'ready') {
          // Not an outage: the write itself is wrong. Keeping it would block the others for ever.
          logger.error({ event: 'state_write_lost', what: next.what, err: error }, 'a kept state write failed again and was dropped');
        } else {
          stateMetrics.pendingWrites.set(queue.length);
          return;
        }
      }
      queue.shift();
    }
    stateMetrics.pendingWrites.set(0);
    if (outage || saved > 0) logger.info({ event: 'state_reachable', saved }, `state store reachable again; ${saved} kept write(s) saved`);
    outage = false;
  }

  const flush = (): Promise<void> => (flushing ??= replay().finally(() => (flushing = undefined)));
  const onReady = () => void flush();
  client.on('ready', onReady);
  // ioredis reports each failed reconnect as an 'error' event; the outage has been logged once already.
  const onError = (error: Error) => startOutage('connection', error);
  client.on('error', onError);

  return {
    async read(what, op, fallback) {
      try {
        return await op();
      } catch (error) {
        stateMetrics.fallbacks.inc({ kind: 'read' });
        startOutage(what, error);
        return fallback();
      }
    },
    async write(what, op) {
      if (queue.length > 0) {
        // Keep the order: a write may not overtake one that is waiting.
        keep({ what, op });
        if (client.status === 'ready') void flush();
        return;
      }
      try {
        await op();
      } catch (error) {
        stateMetrics.fallbacks.inc({ kind: 'write' });
        startOutage(what, error);
        keep({ what, op });
      }
    },
    pending: () => queue.length,
    flush,
    close() {
      client.off('ready', onReady);
      client.off('error', onError);
    },
  };
}
