/**
 * The JSON backend stays bounded, shrugs off a damaged file, and names an unusable DATA_DIR in one sentence (what
 * every backend does: tests/state/contract.test.ts).
 */
import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJsonFileStore } from '../../src/state/jsonFileStore.ts';
import { captureLogger } from '../discord/harness.ts';
import { makeTempDir, removeDir } from '../helpers/tempProject.ts';

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

  it('starts empty, with a warning, when the file is damaged', async () => {
    await fs.writeFile(`${dir}/conversations.json`, '{"version": 1, "conv');
    const store = await openJsonFileStore(dir, logger);
    expect(await store.conversations.history('x')).toEqual([]);
    expect(lines.some((l) => l.msg === 'conversation store unreadable; starting empty')).toBe(true);
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

  it('names a DATA_DIR under a folder that refuses new entries (as /proc does) instead of hanging', async () => {
    // Node 20's mkdir with `recursive: true` never returns there.
    await expect(openJsonFileStore('/proc/no-such-dir/data', logger)).rejects.toThrow(/^DATA_DIR \(\/proc\/no-such-dir\/data\) is not a folder the bot can write to \(ENOENT\)\. /);
  });
});
