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
    await store.feedback.record({ time: 't', answerKey: key, question: 'q3', chunkIds: ['a'], vote: 'up', userHash: 'h' });
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

  it('hands out "More passages" once per answer, also after a restart', async () => {
    const store = await openJsonFileStore(dir, logger);
    const key = await store.answers.save(answer('q'));
    const presses = await Promise.all([store.answers.claimMore(key), store.answers.claimMore(key)]);
    expect(presses.sort()).toEqual([false, true]);
    expect(await store.answers.claimMore('unknown')).toBe(false);
    await store.close();
    const reopened = await openJsonFileStore(dir, logger);
    expect(await reopened.answers.claimMore(key)).toBe(false);
    expect(await reopened.answers.get(key)).toEqual(answer('q'));
  });

  it('keeps one vote per user and answer: a later one replaces it', async () => {
    const store = await openJsonFileStore(dir, logger);
    const vote = (answerKey: string, userHash: string, v: 'up' | 'down') => store.feedback.record({ time: 't', answerKey, question: 'q', chunkIds: ['a'], vote: v, userHash });
    await vote('k1', 'u1', 'up');
    await vote('k1', 'u1', 'up');
    await vote('k1', 'u2', 'up');
    await vote('k1', 'u1', 'down');
    await vote('k2', 'u1', 'up');
    expect((await store.feedback.all()).records.map((r) => `${r.answerKey}:${r.userHash}:${r.vote}`)).toEqual(['k1:u2:up', 'k1:u1:down', 'k2:u1:up']);
  });

  it('remembers pending questions across a restart until they are removed', async () => {
    const store = await openJsonFileStore(dir, logger);
    const pending = (id: string, acceptedAt: number) => ({ kind: 'message' as const, key: `message:${id}`, acceptedAt, channelId: 'c', messageId: id });
    await store.pending.add(pending('2', 20));
    await store.pending.add(pending('1', 10));
    await store.pending.add(pending('3', 30));
    await store.pending.remove('message:3');
    await store.close();
    const reopened = await openJsonFileStore(dir, logger);
    expect((await reopened.pending.list()).map((p) => p.key)).toEqual(['message:1', 'message:2']);
  });

  it('names DATA_DIR in one sentence when it cannot be written, and clears temporary files of dead processes', async () => {
    await fs.writeFile(`${dir}/file`, '');
    await expect(openJsonFileStore(`${dir}/file/data`, logger)).rejects.toThrow(/^DATA_DIR \(.*\) is not a folder the bot can write to \(ENOTDIR\)\. /);
    await fs.writeFile(`${dir}/conversations.json.999999999.0badf00d.tmp`, '{');
    await fs.writeFile(`${dir}/conversations.json.${process.pid}.0badf00d.tmp`, '{');
    const store = await openJsonFileStore(dir, logger);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([`conversations.json.${process.pid}.0badf00d.tmp`]);
    await store.close();
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
