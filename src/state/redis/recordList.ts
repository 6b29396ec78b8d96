import type { z } from 'zod';
import { parseRecords } from '../records.ts';
import type { RedisContext } from './context.ts';

/**
 * An append-only list of JSON records (votes, unanswered questions), trimmed to the newest STATE_MAX_RECORDS.
 * These are the reports, so they do not expire.
 */
export function recordList<T>({ client, degrade, limits }: RedisContext, key: string, schema: z.ZodType<T>) {
  return {
    record: (entry: T) => degrade.write(key, () => client.multi().rpush(key, JSON.stringify(entry)).ltrim(key, -limits.records, -1).exec()),
    // A report needs the real data: no fallback, the caller says that the store is unreachable.
    all: async () => parseRecords(await client.lrange(key, 0, -1), schema),
  };
}
