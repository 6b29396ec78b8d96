/**
 * The bot's life as a process (`npm start` against the fake Discord): it ends when Discord shuts it out for good,
 * finishes its answers on SIGTERM, and after being killed answers what it had accepted.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_REJECTED } from '../../src/discord/startupErrors.ts';
import { loadConfig } from '../../src/config/config.ts';
import { openStateStore } from '../../src/state/openStateStore.ts';
import { FakeDiscord, type RecordedRequest } from './fakeDiscord.ts';
import { captureLogger, contentOf, FAKE_TOKEN, isChannelPost, isOriginalEdit, makeTempDir, newUser, testIndexDir } from './harness.ts';
import { startBotProcess, type BotProcess } from '../helpers/botProcess.ts';
import { ids, mentionMessage, slashCommand, userMessage, type JsonObject } from './payloads.ts';

const NKVD_QUESTION = 'Who headed the NKVD at the height of the purge?';

let fake: FakeDiscord;
let dataDir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start({ token: FAKE_TOKEN });
  dataDir = await makeTempDir('lifecycle');
});
afterAll(async () => {
  await fake?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string> = {}): BotProcess {
  const p = startBotProcess({
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DATA_DIR: dataDir,
    INDEX_DIR: testIndexDir(),
    REPLY_MODE: 'reply',
    ASK_CHANNEL_IDS: '',
    RATE_LIMIT_COUNT: '100',
    LOG_LEVEL: 'info',
    ...env,
  });
  return p;
}

/** The bot's reply to a message (REPLY_MODE=reply): a post in the channel that references it. */
const replyTo = (message: JsonObject) => (r: RecordedRequest) =>
  isChannelPost(ids.channel)(r) && (r.body?.message_reference as JsonObject | undefined)?.message_id === message.id;

describe('a gateway closed for good', () => {
  it('ends the process with one sentence and exit code 1 instead of staying up deaf', async () => {
    const p = start();
    await p.waitForOutput(/"event":"ready"/);
    // 4004: the token was revoked while the bot ran. discord.js does not reconnect after it.
    fake.dropConnections(4004);
    expect(await p.exited(20_000)).toBe(1);
    expect(p.sentences()).toEqual([TOKEN_REJECTED]);
  });
});

describe('SIGTERM', () => {
  it('finishes the answers in flight, then exits 0', async () => {
    const p = start({ MAX_CONCURRENT_ANSWERS: '2' });
    await p.waitForOutput(/"event":"ready"/);
    const mark = fake.mark();
    // Discord is slow to confirm sends, so the answers are still on their way when SIGTERM comes.
    const release = fake.hold(isChannelPost(ids.channel));
    const questions = Array.from({ length: 10 }, (_, i) => mentionMessage(`${NKVD_QUESTION} (${i})`, { author: newUser() }));
    for (const q of questions) fake.sendUserMessage(q);
    // The typing indicator shows that the bot took each of them on; the first answer is being sent.
    let typing = 0;
    await fake.waitForRequest((r) => r.path === `/channels/${ids.channel}/typing` && ++typing === questions.length, mark);
    await fake.waitForRequest(isChannelPost(ids.channel), mark);
    p.child.kill('SIGTERM');
    await p.waitForOutput(/"msg":"shutting down"/);
    release();
    expect(await p.exited()).toBe(0);
    const answered = questions.filter((q) => fake.requests.slice(mark).some(replyTo(q)));
    expect(answered).toHaveLength(questions.length);
    for (const q of questions) expect(contentOf(fake.requests.slice(mark).find(replyTo(q))!)).toContain('Yezhov');
  });
});

describe('killed and restarted', () => {
  it('answers after the restart what it had accepted, and links an answer that had reached Discord to its conversation', async () => {
    let p = start({ REPLY_MODE: 'thread' });
    await p.waitForOutput(/"event":"ready"/);
    const mark = fake.mark();

    // A question whose thread is still being created when the process dies.
    const endThreadStall = fake.stall((r) => r.method === 'POST' && r.path.endsWith('/threads'));
    const question = mentionMessage(NKVD_QUESTION, { author: newUser() });
    fake.sendUserMessage(question);
    await fake.waitForRequest((r) => r.path === `/channels/${ids.channel}/messages/${String(question.id)}/threads`, mark);

    // An /ask whose answer reaches Discord, but whose confirmation never reaches the bot.
    const ask = slashCommand('ask', { question: NKVD_QUESTION }, { user: newUser() });
    const endEditStall = fake.stall(isOriginalEdit(ask.token), { apply: true });
    fake.sendInteraction(ask);
    await fake.waitForRequest(isOriginalEdit(ask.token), mark);

    p.child.kill('SIGKILL');
    await p.exited();
    endThreadStall();
    endEditStall();

    const restart = fake.mark();
    p = start({ REPLY_MODE: 'thread' });
    const answer = await fake.waitForRequest(isChannelPost(String(question.id)), restart, 30_000);
    expect(contentOf(answer)).toContain('Yezhov');

    // A reply to the /ask answer, without a mention, continues its conversation.
    const shown = fake.originalMessage(String(ask.token))!;
    expect(String(shown.content)).toContain('Yezhov');
    const reply = userMessage({ content: 'Who replaced him?', replyTo: shown, author: newUser() });
    fake.sendUserMessage(reply);
    const followUp = await fake.waitForRequest(replyTo(reply), restart);
    expect(contentOf(followUp)).toContain('Beria');

    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
    expect(p.logs.find((l) => l.event === 'answered' && l.source === 'reply-chain')).toMatchObject({ followUp: true });
  });

  it('apologises for a question left too long ago to answer now, and clears the temporary files of killed processes', async () => {
    const old = mentionMessage('Who was Beria?', { author: newUser() });
    fake.storeMessage(old);
    const store = await openStateStore(loadConfig({ DATA_DIR: dataDir }), captureLogger().logger);
    await store.pending.add({ kind: 'message', key: `message:${String(old.id)}`, acceptedAt: Date.now() - 60 * 60_000, channelId: ids.channel, guildId: ids.guild, messageId: String(old.id) });
    await store.close();
    const leftover = path.join(dataDir, 'conversations.json.999999999.0badf00d.tmp');
    await fs.writeFile(leftover, '{"version":1');

    const mark = fake.mark();
    const p = start();
    const apology = await fake.waitForRequest(replyTo(old), mark, 30_000);
    expect(contentOf(apology)).toMatch(/^Sorry — I restarted before I could answer this/);
    await expect(fs.stat(leftover)).rejects.toThrow(/ENOENT/);
    p.child.kill('SIGTERM');
    expect(await p.exited()).toBe(0);
  });
});
