/**
 * The Redis backend against a real redis-server of the test's own: keys that expire, a rate limit that holds
 * across processes, one sentence when Redis is unreachable at start, and an outage that loses nothing.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/appError.ts';
import { KEY_PREFIX } from '../../src/state/redis/client.ts';
import { openRedisStore, type RedisStoreOptions } from '../../src/state/redis/redisStore.ts';
import type { StateStore } from '../../src/state/types.ts';
import { captureLogger } from '../discord/harness.ts';
import { REDIS_SKIP_REASON, redisInstalled, startRedis, type TestRedis } from '../helpers/redisServer.ts';

const keepMs = 3 * 86_400_000;
const { logger, lines, events } = captureLogger();
let redis: TestRedis;
const options = (extra: Partial<RedisStoreOptions> = {}): RedisStoreOptions => ({
  url: redis.url,
  limits: { conversations: 100, messages: 100, answers: 100, records: 100 },
  keepMs,
  turns: 6,
  ...extra,
});
const answer = { question: 'q', history: [], skip: 0, shown: 1, chunkIds: ['a'], createdAt: 1 };

function nextLog(event: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onLine = (line: Record<string, unknown>) => {
      if (line.event !== event) return;
      events.off('line', onLine);
      resolve(line);
    };
    events.on('line', onLine);
  });
}

describe.skipIf(!redisInstalled)(`Redis state store${redisInstalled ? '' : ` (${REDIS_SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('lets conversations, message links and button state expire STATE_KEEP_DAYS after their last write', async () => {
    const store = await openRedisStore(options(), logger);
    await store.conversations.recordTurn('expiring', { question: 'q' }, 'expiring-message');
    const key = await store.answers.save(answer);
    const raw = new Redis(redis.url);
    for (const k of ['conversation:expiring', 'message:expiring-message', `answer:${key}`]) {
      const ttl = await raw.pttl(`${KEY_PREFIX}${k}`);
      expect(ttl, k).toBeGreaterThan(keepMs - 60_000);
      expect(ttl, k).toBeLessThanOrEqual(keepMs);
    }
    await raw.quit();
    await store.close();
  });

  it('holds one rate limit for a user across processes, even when they ask at the same moment', async () => {
    const stores = await Promise.all([openRedisStore(options(), logger), openRedisStore(options(), logger)]);
    const rule = { count: 10, windowMs: 60_000 };
    const takes = await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 2]!.rateLimits.take('burst-user', rule)));
    expect(takes.filter((t) => t.allowed)).toHaveLength(10);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('gives a lock to one process at a time', async () => {
    const [a, b] = await Promise.all([openRedisStore(options(), logger), openRedisStore(options(), logger)]);
    let release!: () => void;
    const holding = a!.locks.runExclusive('shared-lock', () => new Promise<string>((resolve) => (release = () => resolve('a built'))));
    await expect.poll(() => b!.locks.runExclusive('shared-lock', async () => 'b built')).toEqual({ ran: false });
    release();
    expect(await holding).toEqual({ ran: true, value: 'a built' });
    expect(await b!.locks.runExclusive('shared-lock', async () => 'b built')).toEqual({ ran: true, value: 'b built' });
    await Promise.all([a!.close(), b!.close()]);
  });

  it('stops with one sentence naming STATE_URL when Redis is unreachable at start (password hidden)', async () => {
    let error: unknown;
    await openRedisStore(options({ url: 'redis://:secret@127.0.0.1:1' }), logger).catch((e: unknown) => (error = e));
    expect(isAppError(error, 'STATE_UNAVAILABLE')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^Could not reach Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 given in STATE_URL \(.+\)\. Start Redis there, or fix STATE_URL in \.env\.$/);
    expect(message).not.toContain('secret');
  });

  it('keeps answering while Redis is down, then saves what was written meanwhile when it is back', async () => {
    const store: StateStore = await openRedisStore(options(), logger);
    await store.conversations.recordTurn('through-outage', { question: 'before' }, 'm-before');
    const unreachable = nextLog('state_unreachable');
    await redis.stop();

    // Writes neither fail nor wait; reads fall back.
    await store.conversations.recordTurn('through-outage', { question: 'during' }, 'm-during');
    const key = await store.answers.save(answer);
    await store.feedback.record({ time: 't', answerKey: key, question: 'during', chunkIds: [], vote: 'down', userHash: 'h' });
    expect(await store.conversations.history('through-outage')).toEqual([]);
    expect(await store.answers.get(key)).toBeUndefined();
    await expect(store.ping()).rejects.toThrow();
    // The rate limit is this process's own meanwhile, but still a limit.
    const rule = { count: 1, windowMs: 60_000 };
    expect((await store.rateLimits.take('outage-user', rule)).allowed).toBe(true);
    expect((await store.rateLimits.take('outage-user', rule)).allowed).toBe(false);
    expect(await unreachable).toMatchObject({ level: 40 });

    const reachable = nextLog('state_reachable');
    await redis.start();
    expect(await reachable).toMatchObject({ saved: 3 });
    expect(await store.conversations.history('through-outage')).toEqual([{ question: 'before' }, { question: 'during' }]);
    expect(await store.conversations.ofMessage('m-during')).toBe('through-outage');
    expect(await store.answers.get(key)).toEqual(answer);
    expect((await store.feedback.all()).records.at(-1)).toMatchObject({ question: 'during' });
    expect(lines.filter((l) => l.event === 'state_unreachable')).toHaveLength(1);
    await store.close();
  });
});
