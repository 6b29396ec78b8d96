/** The bot's state store survives restarts, stays bounded, and shrugs off a damaged file. */
import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJsonFileStore } from '../src/state/jsonFileStore.ts';
import { captureLogger } from './discord/harness.ts';
import { makeTempDir, removeDir } from './helpers/tempProject.ts';

let dir: string;
const { logger, lines } = captureLogger();

beforeEach(async () => {
  dir = await makeTempDir('store');
});
afterEach(async () => {
  await removeDir(dir);
});

const answer = (question: string) => ({ question, history: [], skip: 0, shown: 2, chunkIds: ['a', 'b'], createdAt: 1 });

describe('JSON file state store', () => {
  it('keeps turns, message links, answers and votes across a restart', async () => {
    const store = await openJsonFileStore(dir, logger, { turns: 2 });
    await store.conversations.recordTurn('thread1', { question: 'q1', searchedFor: 'q1' }, 'm1');
    await store.conversations.recordTurn('thread1', { question: 'q2' }, 'm2');
    await store.conversations.recordTurn('thread1', { question: 'q3' }, 'm3');
    const key = await store.answers.save(answer('q3'));
    await store.feedback.record({ time: 't', question: 'q3', chunkIds: ['a'], vote: 'up', userHash: 'h' });
    await store.close();

    const reopened = await openJsonFileStore(dir, logger, { turns: 2 });
    expect((await reopened.conversations.history('thread1')).map((t) => t.question)).toEqual(['q2', 'q3']);
    expect(await reopened.conversations.ofMessage('m1')).toBe('thread1');
    expect(await reopened.conversations.has('thread1')).toBe(true);
    expect(await reopened.answers.get(key)).toEqual(answer('q3'));
    expect(key).toMatch(/^[\w-]{1,40}$/);
    expect((await reopened.feedback.all()).records.map((r) => r.vote)).toEqual(['up']);
  });

  it('forgets the least recently used entries beyond its bounds', async () => {
    const store = await openJsonFileStore(dir, logger, { conversations: 2, messages: 2, answers: 2 });
    await store.conversations.recordTurn('c1', { question: 'q' }, 'm1');
    await store.conversations.recordTurn('c2', { question: 'q' }, 'm2');
    await store.conversations.recordTurn('c1', { question: 'again' }, 'm3');
    await store.conversations.recordTurn('c3', { question: 'q' }, 'm4');
    expect(await store.conversations.has('c2')).toBe(false);
    expect(await store.conversations.has('c1')).toBe(true);
    expect(await store.conversations.ofMessage('m1')).toBeUndefined();
    const keys = await Promise.all(['a', 'b', 'c'].map((q) => store.answers.save(answer(q))));
    expect(await store.answers.get(keys[0]!)).toBeUndefined();
    expect((await store.answers.get(keys[2]!))?.question).toBe('c');
    await store.close();
  });

  it('keeps no turns when HISTORY_TURNS is 0, but still knows the conversation', async () => {
    const store = await openJsonFileStore(dir, logger, { turns: 0 });
    await store.conversations.recordTurn('t', { question: 'q' });
    expect(await store.conversations.history('t')).toEqual([]);
    expect(await store.conversations.has('t')).toBe(true);
    await store.close();
  });

  it('starts empty, with a warning, when the file is damaged', async () => {
    await fs.writeFile(`${dir}/conversations.json`, '{"version": 1, "conv');
    const store = await openJsonFileStore(dir, logger);
    expect(await store.conversations.history('x')).toEqual([]);
    expect(lines.some((l) => l.msg === 'conversation store unreadable; starting empty')).toBe(true);
  });

  it('limits events per key within a sliding window', async () => {
    const store = await openJsonFileStore(dir, logger);
    const rule = { count: 2, windowMs: 60_000 };
    expect((await store.rateLimits.take('u', rule)).allowed).toBe(true);
    expect((await store.rateLimits.take('u', rule)).allowed).toBe(true);
    const third = await store.rateLimits.take('u', rule);
    expect(third.allowed).toBe(false);
    expect(third.allowed === false && third.retryAfterMs).toBeGreaterThan(59_000);
    expect((await store.rateLimits.take('other', rule)).allowed).toBe(true);
  });
});
