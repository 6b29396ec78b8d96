/**
 * Restarts as real processes on one SQLite file, against the fake Discord: a follow-up in an old thread is
 * answered in context by a new process, an old "More passages" button still works, and a process killed with
 * SIGKILL while answering leaves the database intact.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from './fakeDiscord.ts';
import { contentOf, customIdsOf, FAKE_TOKEN, isCallback, isChannelPost, isFollowUp, newUser } from './harness.ts';
import { buttonPress, ids, mentionMessage, userMessage } from './payloads.ts';
import { startBotProcess, type BotProcess } from '../helpers/botProcess.ts';
import { makeTempDir, removeDir, testIndexDir } from '../helpers/tempProject.ts';

let fake: FakeDiscord;
let dataDir: string;
let bot: BotProcess | undefined;

beforeAll(async () => {
  fake = await FakeDiscord.start({ token: FAKE_TOKEN });
  dataDir = await makeTempDir('restart');
});
afterAll(async () => {
  await bot?.stop('SIGKILL');
  await fake?.close();
  if (dataDir) await removeDir(dataDir);
});

async function startBot(): Promise<BotProcess> {
  const started = startBotProcess({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, INDEX_DIR: testIndexDir(), RATE_LIMIT_COUNT: '100', STATE_URL: '' });
  await started.waitForLog((l) => l.event === 'ready');
  return started;
}

describe('a new process on the same SQLite file', () => {
  it('answers a follow-up in an old thread in context, and an old "More passages" button works', async () => {
    bot = await startBot();
    let mark = fake.mark();
    const question = mentionMessage('What happened to the Party and the NKVD and the army during the purge?', { author: newUser() });
    fake.sendUserMessage(question);
    const threadId = String(question.id);
    const first = await fake.waitForRequest(isChannelPost(threadId), mark);
    const more = customIdsOf(first).find((id) => id.startsWith('more:'))!;
    expect(more).toBeDefined();
    mark = fake.mark();
    fake.sendUserMessage(userMessage({ content: 'Who headed the NKVD at the height of the purge?', channelId: threadId, author: newUser() }));
    expect(contentOf(await fake.waitForRequest(isChannelPost(threadId), mark))).toContain('Yezhov');
    expect(await bot.stop()).toBe(0);

    bot = await startBot();
    // A real gateway lists the bot's active threads in GUILD_CREATE; the fake announces it.
    fake.addThread({ id: threadId, type: 11, guild_id: ids.guild, parent_id: ids.channel, owner_id: ids.bot, name: 't', thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false } });
    mark = fake.mark();
    fake.sendUserMessage(userMessage({ content: 'Who replaced him?', channelId: threadId, author: newUser() }));
    expect(contentOf(await fake.waitForRequest(isChannelPost(threadId), mark))).toContain('Beria');

    const press = buttonPress(more, { id: String(first.body?.id ?? '1'), channel_id: threadId, author: { id: ids.bot }, content: contentOf(first) }, { user: newUser() });
    mark = fake.mark();
    fake.sendInteraction(press);
    expect(customIdsOf(await fake.waitForRequest(isCallback(press), mark)).some((id) => id.startsWith('more:'))).toBe(false);
    const next = await fake.waitForRequest(isFollowUp(press), mark);
    expect(contentOf(next)).toMatch(/^> /m);
    expect(contentOf(next)).not.toBe(contentOf(first));
  });

  it('is intact after the process is killed with SIGKILL while answering, and the next one answers', async () => {
    // The process of the test before, which is answering.
    bot ??= await startBot();
    const mark = fake.mark();
    const questions = ['Who was Yezhov?', 'Who was Beria?', 'What were the Moscow Trials?', 'How many died in the purge?', 'What was the troika?'];
    for (const q of questions) fake.sendUserMessage(mentionMessage(q, { author: newUser() }));
    // The first answer is out; the others are being computed or written.
    await fake.waitForRequest(isChannelPost(), mark);
    await bot.stop('SIGKILL');
    bot = undefined;

    const db = new Database(path.join(dataDir, 'state.sqlite'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    bot = await startBot();
    const again = fake.mark();
    const message = mentionMessage('Who headed the NKVD at the height of the purge?', { author: newUser() });
    fake.sendUserMessage(message);
    expect(contentOf(await fake.waitForRequest(isChannelPost(String(message.id)), again, 30_000))).toContain('Yezhov');
    expect(await bot.stop()).toBe(0);
    bot = undefined;
  });
});
