/**
 * Coverage gaps recorded by the running bot (real discord.js, fake Discord, SQLite): an abstention and a 👎 each
 * become an unanswered question with the closest sections and a salted user hash, never the user id.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserHasher } from '../../src/state/userHash.ts';
import { contentOf, customIdsOf, isCallback, isChannelPost, newUser, startHarness, type Harness } from './harness.ts';
import { buttonPress, ids, mentionMessage } from './payloads.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { REPLY_MODE: 'reply', RATE_LIMIT_COUNT: '100' } });
});
afterAll(async () => {
  await h?.close();
});

async function ask(question: string, author = newUser()) {
  const mark = h.fake.mark();
  h.fake.sendUserMessage(mentionMessage(question, { author }));
  return h.fake.waitForRequest(isChannelPost(ids.channel), mark);
}

describe('unanswered questions', () => {
  it('records an abstention with the closest sections and the salted hash of the asker', async () => {
    const author = newUser('curious');
    const reply = await ask('What is the capital of Australia?', author);
    expect(contentOf(reply)).toMatch(/doesn't seem to cover/);
    const hash = (await createUserHasher(h.config.paths.data))(String(author.id));
    const record = (await h.bot.context.store.unanswered.all()).records.find((r) => r.userHash === hash);
    expect(record).toMatchObject({ question: 'What is the capital of Australia?', reason: 'abstained' });
    expect(record!.sections.length).toBeGreaterThan(0);
    expect(record!.sections.every((s) => s.startsWith('Great Purge'))).toBe(true);
  });

  it('records a 👎 with the sections the answer quoted, and no raw user id anywhere in the data folder', async () => {
    const voter = newUser('critic');
    const answer = await ask('Who headed the NKVD at the height of the purge?');
    const down = customIdsOf(answer).find((id) => id.startsWith('vote:down:'))!;
    const press = buttonPress(down, { id: '1', channel_id: ids.channel, author: { id: ids.bot }, content: '' }, { user: voter });
    const mark = h.fake.mark();
    h.fake.sendInteraction(press);
    await h.fake.waitForRequest(isCallback(press), mark);
    const hash = (await createUserHasher(h.config.paths.data))(String(voter.id));
    const record = (await h.bot.context.store.unanswered.all()).records.find((r) => r.userHash === hash);
    expect(record).toMatchObject({ question: 'Who headed the NKVD at the height of the purge?', reason: 'down-vote' });
    // The citations the answer showed, e.g. "Great Purge › Yezhovshchina ¶3".
    expect(record!.sections.length).toBeGreaterThan(0);
    for (const section of record!.sections) expect(contentOf(answer)).toContain(section);

    const files = await fs.readdir(h.config.paths.data);
    const stored = (await Promise.all(files.map((f) => fs.readFile(path.join(h.config.paths.data, f))))).map((b) => b.toString('latin1')).join('\n');
    expect(stored).not.toContain(String(voter.id));
  });
});
