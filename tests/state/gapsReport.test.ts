/** `npm run feedback` tells the corpus owner what to add: the most frequent unanswered questions and the worst-rated answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { openStateStore } from '../../src/state/openStateStore.ts';
import { formatGaps, gapsInForce, summariseGaps } from '../../src/state/gapsReport.ts';
import type { FeedbackRecord, UnansweredRecord } from '../../src/state/types.ts';
import { captureLogger } from '../discord/harness.ts';
import { runNode } from '../helpers/runNode.ts';
import { makeTempDir, removeDir } from '../helpers/tempProject.ts';

const gap = (question: string, reason: UnansweredRecord['reason'], sections: string[], user = 'u1'): UnansweredRecord => ({
  time: 't',
  question,
  reason,
  sections,
  userHash: `hash-${user}`,
});

describe('gaps report', () => {
  it('ranks questions by how often they went unanswered, with their closest sections', () => {
    const gaps = summariseGaps([
      gap('How did Beria die?', 'abstained', ['Great Purge › End of Yezhovshchina', 'Great Purge › Victim toll']),
      gap('how did  beria die?', 'down-vote', ['Great Purge › End of Yezhovshchina'], 'u2'),
      gap('How did Beria die?', 'abstained', ['Great Purge › End of Yezhovshchina'], 'u3'),
      gap('Capital of Australia?', 'abstained', ['Great Purge']),
    ]);
    expect(gaps[0]).toEqual({
      question: 'how did beria die?',
      count: 3,
      abstained: 2,
      downVotes: 1,
      users: 3,
      sections: ['Great Purge › End of Yezhovshchina', 'Great Purge › Victim toll'],
    });
    expect(gaps.map((g) => g.question)).toEqual(['how did beria die?', 'capital of australia?']);
    expect(formatGaps(gaps, 4)).toMatch(/3× {2}\(2 abstained, 1 👎; 3 users\) {2}how did beria die\?\n\s+closest: Great Purge › End of Yezhovshchina \| Great Purge › Victim toll/);
  });
});

describe('gaps in force', () => {
  const downVote = (answerKey: string, user: string): UnansweredRecord => ({ ...gap('Who was Beria?', 'down-vote', ['Great Purge ¶1'], user), answerKey });
  const vote = (answerKey: string, user: string, v: 'up' | 'down'): FeedbackRecord => ({ time: 't', answerKey, question: 'Who was Beria?', chunkIds: [], vote: v, userHash: `hash-${user}` });

  it('counts a user\'s 👎 on an answer once however often it was pressed, and not once it was changed to 👍', () => {
    const records = [downVote('k1', 'u1'), downVote('k1', 'u1'), downVote('k1', 'u1'), downVote('k1', 'u2'), downVote('k2', 'u1'), gap('Who was Beria?', 'abstained', [])];
    const votes = [vote('k1', 'u1', 'down'), vote('k1', 'u2', 'up'), vote('k2', 'u1', 'down')];
    const standing = gapsInForce(records, votes);
    expect(standing.map((r) => `${r.reason}:${r.answerKey ?? '-'}:${r.userHash}`)).toEqual(['down-vote:k1:hash-u1', 'down-vote:k2:hash-u1', 'abstained:-:hash-u1']);
    expect(summariseGaps(standing)[0]).toMatchObject({ count: 3, downVotes: 2, abstained: 1 });
  });
});

describe('npm run feedback', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('feedback');
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it('prints the most frequent unanswered questions, then the worst-rated answers, from the SQLite store', async () => {
    const store = await openStateStore(loadConfig({ DATA_DIR: dir }), captureLogger().logger);
    for (const user of ['a', 'b']) await store.unanswered.record(gap('Who was Khrushchev’s wife?', 'abstained', ['Great Purge › Victim toll'], user));
    // Pressed twice: one 👎.
    for (let i = 0; i < 2; i++) await store.unanswered.record({ ...gap('Who was Beria?', 'down-vote', ['Great Purge › End of Yezhovshchina ¶1']), answerKey: 'k1' });
    await store.feedback.record({ time: 't', answerKey: 'k1', question: 'Who was Beria?', chunkIds: ['c9'], vote: 'down', userHash: 'hash-u1' });
    await store.close();

    const { stdout, stderr } = await runNode(['scripts/feedback.ts'], { env: { DATA_DIR: dir, STATE_URL: '' } });
    expect(stderr).toBe('');
    const unanswered = stdout.indexOf('2×  (2 abstained; 2 users)  who was khrushchev’s wife?');
    expect(unanswered).toBeGreaterThan(-1);
    expect(stdout.indexOf('1×  (1 👎; 1 user)  who was beria?')).toBeGreaterThan(unanswered);
    expect(stdout).toMatch(/Worst-rated questions:\n\s+-1\s+\(👍 0 👎 1\)\s+who was beria\?/);
  });
});
