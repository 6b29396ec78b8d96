import type { Config } from '../../config/config.ts';
import { describeStateBackend } from '../../config/config.ts';
import type { Logger } from '../../log/logger.ts';
import { unansweredRecordSchema } from '../records.ts';
import type { StateStore } from '../types.ts';
import { redisAnswers } from './answers.ts';
import { connectRedis } from './client.ts';
import type { RedisContext } from './context.ts';
import { redisConversations } from './conversations.ts';
import { createDegrader } from './degrade.ts';
import { redisLocks } from './locks.ts';
import { redisPending } from './pending.ts';
import { redisRateLimits } from './rateLimits.ts';
import { recordList } from './recordList.ts';
import { redisVotes } from './votes.ts';

export interface RedisStoreOptions {
  url: string;
  limits: Config['state']['limits'];
  keepMs: number;
  turns: number;
}

/** Bot state in Redis, shared by every process on any host: keys that expire, an atomic rate limit, locks. */
export async function openRedisStore(options: RedisStoreOptions, logger: Logger): Promise<StateStore> {
  const client = await connectRedis(options.url);
  const degrade = createDegrader(client, logger);
  const ctx: RedisContext = { client, degrade, keepMs: options.keepMs, limits: options.limits, turns: options.turns };
  return {
    conversations: redisConversations(ctx),
    answers: redisAnswers(ctx),
    feedback: redisVotes(ctx),
    unanswered: recordList(ctx, 'unanswered', unansweredRecordSchema),
    rateLimits: redisRateLimits(ctx),
    pending: redisPending(ctx),
    locks: redisLocks(ctx, logger),
    backend: { kind: 'redis', sharedBy: 'network', where: describeStateBackend({ kind: 'redis', url: options.url }) },
    ping: async () => {
      await client.ping();
    },
    close: async () => {
      if (client.status === 'ready') await degrade.flush();
      const lost = degrade.pending();
      if (lost > 0) logger.error({ event: 'state_write_lost', count: lost }, `${lost} state write(s) could not be saved before stopping (Redis unreachable)`);
      degrade.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
