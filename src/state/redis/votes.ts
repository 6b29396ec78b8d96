import { feedbackRecordSchema, parseRecords, voteKey } from '../records.ts';
import type { FeedbackState } from '../types.ts';
import type { RedisContext } from './context.ts';

/**
 * Stores a vote under its (answer, user) field, replacing that user's earlier vote on the answer, and makes it the
 * newest in the order; beyond the limit the oldest votes go. One script: atomic across every process.
 */
const RECORD = `
local votes, order, seq = KEYS[1], KEYS[2], KEYS[3]
local field, vote, keep = ARGV[1], ARGV[2], tonumber(ARGV[3])
redis.call('HSET', votes, field, vote)
redis.call('ZADD', order, redis.call('INCR', seq), field)
local excess = redis.call('ZCARD', order) - keep
if excess > 0 then
  local oldest = redis.call('ZRANGE', order, 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', order, 0, excess - 1)
  redis.call('HDEL', votes, unpack(oldest))
end
`;

const VOTES = 'votes';
const ORDER = 'votes:order';
const SEQ = 'votes:seq';

/** 👍/👎 votes, one per user and answer (a hash of JSON votes and a sorted set of their order). They do not expire: they are the report. */
export function redisVotes({ client, degrade, limits }: RedisContext): FeedbackState {
  return {
    record: (vote) =>
      degrade.write('vote', () => client.eval(RECORD, 3, VOTES, ORDER, SEQ, voteKey(vote), JSON.stringify(vote), limits.records)),
    // A report needs the real data: no fallback, the caller says that the store is unreachable.
    all: async () => {
      const fields = await client.zrange(ORDER, 0, -1);
      const values = fields.length === 0 ? [] : await client.hmget(VOTES, ...fields);
      return parseRecords(
        values.filter((v): v is string => v !== null),
        feedbackRecordSchema,
      );
    },
  };
}
