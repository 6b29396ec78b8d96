import { STATE_TUNING } from '../../config/tuning.ts';
import { parseRecords, pendingQuestionSchema } from '../records.ts';
import type { PendingQuestion, PendingState } from '../types.ts';
import type { RedisContext } from './context.ts';

const PENDING = 'pending';

/**
 * Questions accepted and not yet answered: one hash of JSON questions by key, shared by every shard (each recovers
 * its own servers' questions). Expires STATE_KEEP_DAYS after the last question was added.
 */
export function redisPending({ client, degrade, keepMs }: RedisContext): PendingState {
  const list = async (): Promise<PendingQuestion[]> =>
    parseRecords(await client.hvals(PENDING), pendingQuestionSchema).records.sort((a, b) => a.acceptedAt - b.acceptedAt);
  return {
    add: (question) =>
      degrade.write('pending question', async () => {
        const [, , size] = (await client.multi().hset(PENDING, question.key, JSON.stringify(question)).pexpire(PENDING, keepMs).hlen(PENDING).exec()) ?? [];
        const excess = Number(size?.[1] ?? 0) - STATE_TUNING.pendingMax;
        // Rare (questions leave as they are answered): forget the oldest.
        if (excess > 0) await client.hdel(PENDING, ...(await list()).slice(0, excess).map((q) => q.key));
      }),
    remove: (key) => degrade.write('pending question', () => client.hdel(PENDING, key)),
    list: () => degrade.read('pending questions', list, (): PendingQuestion[] => []),
  };
}
