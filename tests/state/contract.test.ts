/**
 * What every state backend promises, on the real thing: the JSON files, a real SQLite file and a real
 * redis-server. Turns (every field of one), message links, button state, votes, unanswered and pending questions
 * survive a reopen; a user has one vote per answer; "More passages" is used up once, also by two stores at once (two
 * shards); rate limits are sliding windows; a lock is held by one caller at a time.
 */
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { openJsonFileStore } from '../../src/state/jsonFileStore.ts';
import { openRedisStore } from '../../src/state/redis/redisStore.ts';
import { openSqliteStore } from '../../src/state/sqlite/sqliteStore.ts';
import type { Turn } from '../../src/answer/types.ts';
import type { FeedbackRecord, PendingQuestion, StateStore } from '../../src/state/types.ts';
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
/** Name, how to open it, whether it can run here, and whether several processes can share it. */
const backends: Array<[string, Open, boolean, boolean]> = [
  ['JSON files', (dir, turns) => openJsonFileStore(dir, logger, { ...limits, turns }), true, false],
  ['SQLite', (dir, turns) => openSqliteStore({ file: `${dir}/state.sqlite`, dataDir: dir, limits, keepMs, turns }, logger), true, true],
  ['Redis', (_dir, turns) => openRedisStore({ url: redis!.url, limits, keepMs, turns }, logger), redisInstalled || Boolean(process.env.TEST_REDIS_URL), true],
];

// Required: a field added to Turn must be added here, and then every backend must keep it.
const fullTurn: Required<Turn> = { question: 'Who replaced him?', searchedFor: 'who replaced yezhov', names: ['Nikolai Yezhov', 'Lavrenty Beria'] };
const answer = (question: string) => ({ question, history: [{ question: 'before' }, fullTurn], skip: 0, shown: 2, chunkIds: ['a', 'b'], createdAt: 1, sections: ['Great Purge › Victim toll ¶1'] });
let run = 0;

describe.each(backends)('%s state store', (name, open, available, shared) => {
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
    await store.conversations.recordTurn(id('thread'), fullTurn, id('m3'));
    await store.conversations.linkMessage(id('m4'), id('thread'));
    const key = await store.answers.save(answer('q3'));
    await store.feedback.record({ time: 't', answerKey: key, question: 'q3', chunkIds: ['a'], vote: 'up', userHash: 'h' });
    await store.unanswered.record({ time: 't', question: 'capital of Australia?', reason: 'abstained', sections: ['Great Purge'], userHash: 'h' });
    await store.close();

    const reopened = await open(dir, 2);
    expect(await reopened.conversations.history(id('thread'))).toEqual([{ question: 'q2' }, fullTurn]);
    expect(await reopened.conversations.ofMessage(id('m1'))).toBe(id('thread'));
    expect(await reopened.conversations.ofMessage(id('m4'))).toBe(id('thread'));
    expect(await reopened.conversations.ofMessage(id('nothing'))).toBeUndefined();
    expect(await reopened.conversations.has(id('thread'))).toBe(true);
    expect(await reopened.conversations.has(id('other'))).toBe(false);
    expect(await reopened.answers.get(key)).toEqual(answer('q3'));
    expect(await reopened.answers.get('unknown')).toBeUndefined();
    expect(key).toMatch(/^[\w-]{1,40}$/);
    expect((await reopened.feedback.all()).records.at(-1)).toEqual({ time: 't', answerKey: key, question: 'q3', chunkIds: ['a'], vote: 'up', userHash: 'h' });
    expect((await reopened.unanswered.all()).records.at(-1)).toEqual({ time: 't', question: 'capital of Australia?', reason: 'abstained', sections: ['Great Purge'], userHash: 'h' });
    await expect(reopened.ping()).resolves.toBeUndefined();
    await reopened.close();
  });

  it.skipIf(!available)('keeps one vote per user and answer: a later one replaces it and counts as the latest', async () => {
    const store = await open(dir, 2);
    const vote = (answerKey: string, userHash: string, v: 'up' | 'down') =>
      store.feedback.record({ time: 't', answerKey: id(answerKey), question: 'q', chunkIds: ['a'], vote: v, userHash });
    await vote('k1', 'u1', 'up');
    await vote('k1', 'u1', 'up');
    await vote('k1', 'u2', 'up');
    await vote('k1', 'u1', 'down');
    await vote('k2', 'u1', 'up');
    const mine = (records: FeedbackRecord[]) => records.filter((r) => r.answerKey.endsWith(`-${run}`)).map((r) => `${r.answerKey.split('-')[0]}:${r.userHash}:${r.vote}`);
    expect(mine((await store.feedback.all()).records)).toEqual(['k1:u2:up', 'k1:u1:down', 'k2:u1:up']);
    await store.close();
    const reopened = await open(dir, 2);
    expect(mine((await reopened.feedback.all()).records)).toEqual(['k1:u2:up', 'k1:u1:down', 'k2:u1:up']);
    await reopened.close();
  });

  it.skipIf(!available)('hands out "More passages" once per answer, also when pressed twice at once and after a reopen', async () => {
    const store = await open(dir, 2);
    const key = await store.answers.save(answer('q'));
    const presses = await Promise.all([store.answers.claimMore(key), store.answers.claimMore(key)]);
    expect(presses.sort()).toEqual([false, true]);
    expect(await store.answers.claimMore('unknown')).toBe(false);
    const other = await store.answers.save(answer('other'));
    await store.close();
    const reopened = await open(dir, 2);
    expect(await reopened.answers.claimMore(key)).toBe(false);
    expect(await reopened.answers.get(key)).toEqual(answer('q'));
    expect(await reopened.answers.claimMore(other)).toBe(true);
    await reopened.close();
  });

  it.skipIf(!available || !shared)('hands out "More passages" once when two processes (shards) are pressed at the same moment', async () => {
    const stores = [await open(dir, 2), await open(dir, 2)];
    const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[0]!.answers.save(answer(`q${i}`))));
    const presses = await Promise.all(keys.flatMap((key) => stores.map((s) => s.answers.claimMore(key))));
    expect(presses.filter(Boolean)).toHaveLength(keys.length);
    await Promise.all(stores.map((s) => s.close()));
  });

  it.skipIf(!available)('remembers pending questions of both kinds across a reopen until they are removed, oldest first', async () => {
    const store = await open(dir, 2);
    const message = (n: string, acceptedAt: number, guildId: string | null = 'g1'): PendingQuestion => ({
      kind: 'message',
      key: id(`message:${n}`),
      acceptedAt,
      channelId: 'c',
      guildId,
      messageId: n,
    });
    const slash: PendingQuestion = {
      kind: 'interaction',
      key: id('interaction:9'),
      acceptedAt: 15,
      channelId: 'c',
      guildId: null,
      question: 'Who was Yezhov?',
      userHash: 'h',
      source: 'message-command',
      conversationId: 'conv',
      applicationId: 'app',
      token: 'token',
      replyTo: { channelId: 'c', messageId: 'm' },
    };
    await store.pending.add(message('2', 20));
    await store.pending.add(message('1', 10, null));
    await store.pending.add(slash);
    await store.pending.add(message('3', 30));
    await store.pending.remove(id('message:3'));
    await store.pending.remove(id('message:never-added'));
    await store.close();
    const reopened = await open(dir, 2);
    const mine = (await reopened.pending.list()).filter((p) => p.key.endsWith(`-${run}`));
    expect(mine).toEqual([message('1', 10, null), slash, message('2', 20)]);
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
