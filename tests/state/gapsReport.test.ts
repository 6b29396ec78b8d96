/** `npm run feedback` tells the corpus owner what to add: the most frequent unanswered questions and the worst-rated answers. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config/config.ts';
import { openStateStore } from '../../src/state/openStateStore.ts';
import { formatGaps, summariseGaps } from '../../src/state/gapsReport.ts';
import type { UnansweredRecord } from '../../src/state/types.ts';
import { captureLogger } from '../discord/harness.ts';
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
    await store.unanswered.record(gap('Who was Beria?', 'down-vote', ['Great Purge › End of Yezhovshchina ¶1']));
    await store.feedback.record({ time: 't', question: 'Who was Beria?', chunkIds: ['c9'], vote: 'down', userHash: 'hash-u1' });
    await store.close();

    const { stdout } = await promisify(execFile)(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/feedback.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATA_DIR: dir, STATE_URL: '' },
    });
    const unanswered = stdout.indexOf('2×  (2 abstained; 2 users)  who was khrushchev’s wife?');
    expect(unanswered).toBeGreaterThan(-1);
    expect(stdout.indexOf('1×  (1 👎; 1 user)  who was beria?')).toBeGreaterThan(unanswered);
    expect(stdout).toMatch(/Worst-rated questions:\n\s+-1\s+\(👍 0 👎 1\)\s+who was beria\?/);
  });
});
