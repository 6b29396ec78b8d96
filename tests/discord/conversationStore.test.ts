/** The conversation store survives restarts, stays bounded, and shrugs off a damaged file. */
import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/discord/state/conversationStore.ts';
import { captureLogger, makeTempDir } from './harness.ts';

let dir: string;
const { logger, lines } = captureLogger();

beforeEach(async () => {
  dir = await makeTempDir('store');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const answer = (question: string) => ({ question, history: [], skip: 0, shown: 2, chunkIds: ['a', 'b'], createdAt: 1 });

describe('ConversationStore', () => {
  it('keeps turns, message links and answers across a restart', async () => {
    const store = await ConversationStore.open(dir, logger, { turns: 2 });
    store.recordTurn('thread1', { question: 'q1', searchedFor: 'q1', chunkIds: ['a'] }, 'm1');
    store.recordTurn('thread1', { question: 'q2' }, 'm2');
    store.recordTurn('thread1', { question: 'q3' }, 'm3');
    const key = store.saveAnswer(answer('q3'));
    await store.flush();

    const reopened = await ConversationStore.open(dir, logger, { turns: 2 });
    expect(reopened.history('thread1').map((t) => t.question)).toEqual(['q2', 'q3']);
    expect(reopened.conversationOfMessage('m1')).toBe('thread1');
    expect(reopened.hasConversation('thread1')).toBe(true);
    expect(reopened.answer(key)).toEqual(answer('q3'));
    expect(key).toMatch(/^[\w-]{1,40}$/);
  });

  it('forgets the least recently used entries beyond its bounds', async () => {
    const store = await ConversationStore.open(dir, logger, { conversations: 2, messages: 2, answers: 2 });
    store.recordTurn('c1', { question: 'q' }, 'm1');
    store.recordTurn('c2', { question: 'q' }, 'm2');
    store.recordTurn('c1', { question: 'again' }, 'm3');
    store.recordTurn('c3', { question: 'q' }, 'm4');
    expect(store.hasConversation('c2')).toBe(false);
    expect(store.hasConversation('c1')).toBe(true);
    expect(store.conversationOfMessage('m1')).toBeUndefined();
    const keys = ['a', 'b', 'c'].map((q) => store.saveAnswer(answer(q)));
    expect(store.answer(keys[0]!)).toBeUndefined();
    expect(store.answer(keys[2]!)?.question).toBe('c');
    await store.flush();
  });

  it('keeps no turns when HISTORY_TURNS is 0, but still knows the conversation', async () => {
    const store = await ConversationStore.open(dir, logger, { turns: 0 });
    store.recordTurn('t', { question: 'q' });
    expect(store.history('t')).toEqual([]);
    expect(store.hasConversation('t')).toBe(true);
    await store.flush();
  });

  it('starts empty, with a warning, when the file is damaged', async () => {
    await fs.writeFile(`${dir}/conversations.json`, '{"version": 1, "conv');
    const store = await ConversationStore.open(dir, logger);
    expect(store.history('x')).toEqual([]);
    expect(lines.some((l) => l.msg === 'conversation store unreadable; starting empty')).toBe(true);
  });
});
