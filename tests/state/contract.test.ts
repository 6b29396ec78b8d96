/**
 * What every state backend promises, on the real thing: the JSON files, a real SQLite file and a real
 * redis-server. Turns, message links, button state, votes and unanswered questions survive a reopen; rate limits
 * are sliding windows; a lock is held by one caller at a time.
 */
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { openJsonFileStore } from '../../src/state/jsonFileStore.ts';
import { openRedisStore } from '../../src/state/redis/redisStore.ts';
import { openSqliteStore } from '../../src/state/sqlite/sqliteStore.ts';
import type { StateStore } from '../../src/state/types.ts';
import { captureLogger } from '../discord/harness.ts';
import { makeTempDir, removeDir } from '../helpers/tempProject.ts';
import { REDIS_SKIP_REASON, redisInstalled, useRedis } from '../helpers/redisServer.ts';

const { logger } = captureLogger();
const limits = { conversations: 100, messages: 100, answers: 100, records: 100 };
const keepMs = 86_400_000;

let redis: { url: string; close(): Promise<void> } | undefined;
beforeAll(async () => {
  if (redisInstalled || process.env.TEST_REDIS_URL) redis = await useRedis(1);
});
afterAll(async () => {
  await redis?.close();
});

type Open = (dir: string, turns: number) => Promise<StateStore>;
const backends: Array<[string, Open, boolean]> = [
  ['JSON files', (dir, turns) => openJsonFileStore(dir, logger, { ...limits, turns }), true],
  ['SQLite', (dir, turns) => openSqliteStore({ file: `${dir}/state.sqlite`, dataDir: dir, limits, keepMs, turns }, logger), true],
  ['Redis', (_dir, turns) => openRedisStore({ url: redis!.url, limits, keepMs, turns }, logger), redisInstalled || Boolean(process.env.TEST_REDIS_URL)],
];

const answer = (question: string) => ({ question, history: [{ question: 'before' }], skip: 0, shown: 2, chunkIds: ['a', 'b'], createdAt: 1, sections: ['Great Purge › Victim toll ¶1'] });
let run = 0;

describe.each(backends)('%s state store', (name, open, available) => {
  let dir: string;
  // Redis is one server for all tests: ids differ per test instead.
  const id = (s: string) => `${s}-${run}`;
  beforeEach(async () => {
    run++;
    dir = await makeTempDir('store');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it.skipIf(!available)(`keeps turns, links, button state, votes and unanswered questions across a reopen${available ? '' : ` (${REDIS_SKIP_REASON})`}`, async () => {
    const store = await open(dir, 2);
    await store.conversations.recordTurn(id('thread'), { question: 'q1', searchedFor: 'q1' }, id('m1'));
    await store.conversations.recordTurn(id('thread'), { question: 'q2' }, id('m2'));
    await store.conversations.recordTurn(id('thread'), { question: 'q3', searchedFor: 'q3 resolved' }, id('m3'));
    await store.conversations.linkMessage(id('m4'), id('thread'));
    const key = await store.answers.save(answer('q3'));
    await store.feedback.record({ time: 't', question: 'q3', chunkIds: ['a'], vote: 'up', userHash: 'h' });
    await store.unanswered.record({ time: 't', question: 'capital of Australia?', reason: 'abstained', sections: ['Great Purge'], userHash: 'h' });
    await store.close();

    const reopened = await open(dir, 2);
    expect(await reopened.conversations.history(id('thread'))).toEqual([{ question: 'q2' }, { question: 'q3', searchedFor: 'q3 resolved' }]);
    expect(await reopened.conversations.ofMessage(id('m1'))).toBe(id('thread'));
    expect(await reopened.conversations.ofMessage(id('m4'))).toBe(id('thread'));
    expect(await reopened.conversations.ofMessage(id('nothing'))).toBeUndefined();
    expect(await reopened.conversations.has(id('thread'))).toBe(true);
    expect(await reopened.conversations.has(id('other'))).toBe(false);
    expect(await reopened.answers.get(key)).toEqual(answer('q3'));
    expect(await reopened.answers.get('unknown')).toBeUndefined();
    expect(key).toMatch(/^[\w-]{1,40}$/);
    expect((await reopened.feedback.all()).records.at(-1)).toEqual({ time: 't', question: 'q3', chunkIds: ['a'], vote: 'up', userHash: 'h' });
    expect((await reopened.unanswered.all()).records.at(-1)).toEqual({ time: 't', question: 'capital of Australia?', reason: 'abstained', sections: ['Great Purge'], userHash: 'h' });
    await expect(reopened.ping()).resolves.toBeUndefined();
    await reopened.close();
  });

  it.skipIf(!available)('keeps no turns when HISTORY_TURNS is 0, but still knows the conversation', async () => {
    const store = await open(dir, 0);
    await store.conversations.recordTurn(id('t'), { question: 'q' });
    expect(await store.conversations.history(id('t'))).toEqual([]);
    expect(await store.conversations.has(id('t'))).toBe(true);
    await store.close();
  });

  it.skipIf(!available)('limits events per key within a sliding window', async () => {
    const store = await open(dir, 2);
    const rule = { count: 2, windowMs: 60_000 };
    expect((await store.rateLimits.take(id('u'), rule)).allowed).toBe(true);
    expect((await store.rateLimits.take(id('u'), rule)).allowed).toBe(true);
    const third = await store.rateLimits.take(id('u'), rule);
    expect(third.allowed).toBe(false);
    expect(third.allowed === false && third.retryAfterMs).toBeGreaterThan(59_000);
    expect((await store.rateLimits.take(id('other'), rule)).allowed).toBe(true);
    await store.close();
  });

  it.skipIf(!available)('runs one holder of a lock at a time, and frees it afterwards', async () => {
    const store = await open(dir, 2);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = store.locks.runExclusive(id('reindex'), async () => {
      await held;
      return 'built';
    });
    // The first holder is inside its task once the second is refused.
    await expect.poll(() => store.locks.runExclusive(id('reindex'), async () => 'second')).toEqual({ ran: false });
    release();
    expect(await first).toEqual({ ran: true, value: 'built' });
    expect(await store.locks.runExclusive(id('reindex'), async () => 'third')).toEqual({ ran: true, value: 'third' });
    await store.close();
  });

  it.skipIf(!available)(`says which backend it is (${name})`, async () => {
    const store = await open(dir, 2);
    expect(store.backend.sharedBy).toBe({ 'JSON files': 'process', SQLite: 'host', Redis: 'network' }[name]);
    expect(store.backend.where).not.toMatch(/@/);
    await store.close();
  });
});
