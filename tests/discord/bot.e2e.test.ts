import { createHash } from 'node:crypto';
/**
 * The real discord.js client against the fake Discord: questions by mention, threads, follow-ups, slash commands,
 * buttons, fair use and restarts. One engine and one fake server for the whole file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { summariseFeedback } from '../../src/state/feedbackSummary.ts';
import type { FeedbackRecord } from '../../src/state/types.ts';
import { USAGE_HINT } from '../../src/discord/handling/classifyMessage.ts';
import { createUserHasher } from '../../src/state/userHash.ts';
import { APOLOGY } from '../../src/discord/util/respond.ts';
import type { RecordedRequest } from './fakeDiscord.ts';
import {
  contentOf,
  customIdsOf,
  FAKE_TOKEN,
  isCallback,
  isChannelPost,
  isFollowUp,
  isOriginalEdit,
  newUser,
  startHarness,
  type Harness,
} from './harness.ts';
import { autocomplete, bob, buttonPress, directMessage, ids, mentionMessage, messageCommand, otherBot, slashCommand, snowflake, userMessage, type JsonObject } from './payloads.ts';

const NKVD_QUESTION = 'Who headed the NKVD at the height of the purge?';
const EPHEMERAL = 64;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { RATE_LIMIT_COUNT: '3', RATE_LIMIT_WINDOW_SECONDS: '60', ASK_CHANNEL_IDS: ids.askChannel } });
});
afterAll(async () => {
  await h?.close();
});

/** Sends a question by mention and returns the thread the bot opened and its answer there. */
async function askByMention(question: string, author: JsonObject = newUser(), extra: Parameters<typeof mentionMessage>[1] = {}) {
  const mark = h.fake.mark();
  const message = mentionMessage(question, { ...extra, author });
  h.fake.sendUserMessage(message);
  const threadCall = await h.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${ids.channel}/messages/${String(message.id)}/threads`, mark);
  const answer = await h.fake.waitForRequest(isChannelPost(String(message.id)), mark);
  return { message, threadId: String(message.id), threadCall, answer, author };
}

/** Runs a slash command; returns the interaction and the request that carried the reply content. */
async function runCommand(interaction: JsonObject) {
  const mark = h.fake.mark();
  h.fake.sendInteraction(interaction);
  const callback = await h.fake.waitForRequest(isCallback(interaction), mark);
  return { mark, callback };
}

/** Everything the bot wrote under its data folder (the SQLite file and its write-ahead log), as text. */
async function storedBytes(dir: string): Promise<string> {
  const files = await fs.readdir(dir);
  const texts = await Promise.all(files.map((f) => fs.readFile(path.join(dir, f)).then((b) => b.toString('latin1'))));
  return texts.join('\n');
}

const callbackType = (r: RecordedRequest) => (r.body as { type: number }).type;
const callbackFlags = (r: RecordedRequest) => Number(((r.body as { data?: { flags?: number } }).data ?? {}).flags ?? 0);

describe('start-up', () => {
  it('logs in, becomes ready and logs articles, chunks and servers', () => {
    const ready = h.logs.find((l) => l.event === 'ready');
    expect(ready).toMatchObject({ guilds: 1 });
    expect(Number(ready?.articles)).toBeGreaterThan(0);
    expect(Number(ready?.chunks)).toBeGreaterThan(0);
    // Thread follow-ups need the text of unmentioned messages: Message Content is requested in thread mode.
    expect(Number(h.fake.identifies[0]?.intents) & (1 << 15)).not.toBe(0);
  });
});

describe('questions by mention', () => {
  it('opens a thread on the question and quotes the article with its citation', async () => {
    const { threadCall, answer, author } = await askByMention(NKVD_QUESTION);
    expect(threadCall.body?.name).toBe(NKVD_QUESTION);
    const content = contentOf(answer);
    expect(content).toMatch(/^> /m);
    expect(content).toContain('Yezhov');
    // A citation line: linked when the article has a URL, in italics otherwise.
    expect(content).toMatch(/\n— (\[Great Purge[^\]]*¶\d+\]\(<https?:\/\/[^>]+>\)|\*Great Purge[^*]*¶\d+\*)$/m);
    expect(customIdsOf(answer).some((id) => id.startsWith('vote:up:'))).toBe(true);

    const hashUser = await createUserHasher(h.config.paths.data);
    const line = await h.waitForLog((l) => l.event === 'answered' && l.userHash === hashUser(String(author.id)));
    expect(line).toMatchObject({ source: 'mention', abstained: false, guildId: ids.guild, userHash: hashUser(String(author.id)) });
    expect(Number(line?.latencyMs)).toBeGreaterThanOrEqual(0);
    expect((line?.chunkIds as string[]).length).toBeGreaterThan(0);
    expect(h.rawLogs.join('\n')).not.toContain(String(author.id));
    expect(h.rawLogs.join('\n')).not.toContain(FAKE_TOKEN);
  });

  it('answers a follow-up in the thread in context', async () => {
    const { threadId } = await askByMention(NKVD_QUESTION);
    const mark = h.fake.mark();
    h.fake.sendUserMessage(userMessage({ content: 'Who replaced him?', channelId: threadId, author: newUser() }));
    const reply = await h.fake.waitForRequest(isChannelPost(threadId), mark);
    expect(contentOf(reply)).toContain('Beria');
    expect(await h.waitForLog((l) => l.event === 'answered' && l.source === 'thread')).toMatchObject({ followUp: true });
  });

  it('treats every message in an ASK_CHANNEL_IDS channel as a question, no mention needed', async () => {
    const mark = h.fake.mark();
    const ignored = userMessage({ content: 'Who was Yezhov?', author: newUser() });
    h.fake.sendUserMessage(ignored);
    const message = userMessage({ content: NKVD_QUESTION, channelId: ids.askChannel, author: newUser() });
    h.fake.sendUserMessage(message);
    const answer = await h.fake.waitForRequest(isChannelPost(String(message.id)), mark);
    expect(contentOf(answer)).toContain('Yezhov');
    expect(h.fake.requests.slice(mark).some((r) => r.path.includes(String(ignored.id)))).toBe(false);
    expect(await h.waitForLog((l) => l.event === 'answered' && l.source === 'ask-channel')).toBeDefined();
  });

  it('never pings: @everyone, roles and users in a question stay inert', async () => {
    const mark = h.fake.mark();
    const message = mentionMessage(`@everyone @here <@&${ids.role}> <@${ids.bob}> who was Yezhov?`, { author: newUser(), mentions: [bob], mentionEveryone: true, mentionRoles: [ids.role] });
    h.fake.sendUserMessage(message);
    const thread = await h.fake.waitForRequest((r) => r.path.endsWith(`/messages/${String(message.id)}/threads`), mark);
    expect(String(thread.body?.name)).not.toMatch(/<@|@everyone/);
    const answer = await h.fake.waitForRequest(isChannelPost(String(message.id)), mark);
    expect(answer.body?.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('ignores messages from bots, including its own', async () => {
    const mark = h.fake.mark();
    h.fake.sendUserMessage(mentionMessage(NKVD_QUESTION, { author: otherBot }));
    // Events are handled in order: once the next user's question is answered, the bot's would have been too.
    const { message } = await askByMention('Who was Yezhov?');
    const posts = h.fake.requests.slice(mark).filter((r) => r.method === 'POST' && /\/(messages|threads)$/.test(r.path));
    expect(posts.every((r) => r.path.includes(String(message.id)))).toBe(true);
  });

  it('answers an empty mention with a usage hint, inline', async () => {
    const mark = h.fake.mark();
    const message = userMessage({ author: newUser(), content: `<@${ids.bot}>`, mentions: [{ id: ids.bot, username: 'QuoteBot', discriminator: '0', bot: true }] });
    h.fake.sendUserMessage(message);
    const reply = await h.fake.waitForRequest(isChannelPost(ids.channel), mark);
    expect(contentOf(reply)).toBe(USAGE_HINT);
    expect(reply.body?.message_reference).toMatchObject({ message_id: message.id });
  });

  it('answers a 20,000-character question with a clear message, inline and within limits', async () => {
    const mark = h.fake.mark();
    h.fake.sendUserMessage(mentionMessage('why '.repeat(5000), { author: newUser() }));
    const reply = await h.fake.waitForRequest(isChannelPost(ids.channel), mark);
    expect(contentOf(reply)).toMatch(/long/i);
    expect(contentOf(reply).length).toBeLessThanOrEqual(2000);
    expect(h.fake.requests.slice(mark).some((r) => r.path.endsWith('/threads'))).toBe(false);
  });

  it('answers an abstention with the closest sections', async () => {
    const { answer } = await askByMention('What is the capital of Australia?');
    expect(contentOf(answer)).toMatch(/doesn't seem to cover/);
  });

  it('limits each user without a public reply: one reaction per window, nothing queued ahead of answers', async () => {
    const author = newUser('eager');
    for (let i = 0; i < 3; i++) await askByMention(`Who was Yezhov? (${i})`, author);
    const mark = h.fake.mark();
    const excess = Array.from({ length: 6 }, (_, i) => mentionMessage(`One more: who was Beria? (${i})`, { author }));
    for (const m of excess) h.fake.sendUserMessage(m);
    // Another user asking in the middle of the burst is answered.
    const { answer } = await askByMention(NKVD_QUESTION);
    expect(contentOf(answer)).toContain('Yezhov');
    for (const m of excess) await h.waitForLog((l) => l.event === 'rate_limited' && l.messageId === m.id);
    const sent = h.fake.requests.slice(mark);
    expect(sent.filter((r) => r.method === 'POST' && excess.some((m) => r.path.includes(String(m.id)) || (r.body?.message_reference as JsonObject | undefined)?.message_id === m.id))).toEqual([]);
    expect(h.fake.reactions(mark)).toEqual([[String(excess[0]!.id), '✋']]);

    // A slash command over the limit is told privately.
    const ask = slashCommand('ask', { question: NKVD_QUESTION }, { user: author });
    const { callback } = await runCommand(ask);
    expect(contentOf(callback)).toMatch(/wait \d+ s/);
    expect(callbackFlags(callback)).toBe(EPHEMERAL);
  });

  it('answers with an apology when the engine fails, and keeps running', async () => {
    const answer = h.engine.answer;
    h.engine.answer = () => Promise.reject(new Error('boom'));
    try {
      const mark = h.fake.mark();
      const message = mentionMessage(NKVD_QUESTION, { author: newUser() });
      h.fake.sendUserMessage(message);
      const reply = await h.fake.waitForRequest(isChannelPost(ids.channel), mark);
      expect(contentOf(reply)).toBe(APOLOGY);

      const ask = slashCommand('ask', { question: NKVD_QUESTION }, { user: newUser() });
      const { mark: m2 } = await runCommand(ask);
      const followUp = await h.fake.waitForRequest(isFollowUp(ask), m2);
      expect(contentOf(followUp)).toBe(APOLOGY);
      expect(Number(followUp.body?.flags)).toBe(EPHEMERAL);
    } finally {
      h.engine.answer = answer;
    }
    expect(h.logs.some((l) => l.msg === 'failed to answer a message')).toBe(true);
    await askByMention('Who was Yezhov?');
  });
});

describe('mentions of others', () => {
  it('answers a question that mentions another user as if the mention were not there, and stores no mentioned id', async () => {
    const plain = await askByMention('Who led the NKVD?');
    const { answer, message } = await askByMention(`<@${ids.bob}> <@&${ids.role}> <#${ids.askChannel}> who led the NKVD?`, newUser(), { mentions: [bob], mentionRoles: [ids.role] });
    expect(contentOf(answer)).toBe(contentOf(plain.answer));
    expect(contentOf(answer)).toContain('Yezhov');

    const vote = customIdsOf(answer).find((id) => id.startsWith('vote:up:'))!;
    await runCommand(buttonPress(vote, { id: '1', channel_id: String(message.id), author: { id: ids.bot }, content: '' }, { user: newUser() }));
    // What the store keeps of this question: its turn, its button state and the vote (the file itself also holds
    // other tests' channel ids, as the channels of their questions).
    const { store } = h.bot.context;
    const conversationId = await store.conversations.ofMessage(String(message.id));
    const stored = JSON.stringify([await store.conversations.history(conversationId!), await store.answers.get(vote.split(':')[2]!), (await store.feedback.all()).records.at(-1)]);
    for (const id of [ids.bob, ids.role, ids.askChannel]) expect(stored).not.toContain(id);
    expect(stored).toContain('"question":"who led the NKVD?"');
  });

  it("takes a mention of the bot's own role (what the mention list offers under its name) as a mention of the bot", async () => {
    const mark = h.fake.mark();
    const message = userMessage({ content: `<@&${ids.botRole}> ${NKVD_QUESTION}`, author: newUser(), mentionRoles: [ids.botRole] });
    h.fake.sendUserMessage(message);
    const answer = await h.fake.waitForRequest(isChannelPost(String(message.id)), mark);
    expect(contentOf(answer)).toContain('Yezhov');
  });
});

describe('chit-chat', () => {
  it('reacts to thanks in its thread, says nothing to "lol" or "ok", and still answers a real follow-up', async () => {
    const { threadId } = await askByMention(NKVD_QUESTION);
    const mark = h.fake.mark();
    const chat = ['thanks!', 'lol', 'ok'].map((content) => userMessage({ content, channelId: threadId, author: newUser() }));
    for (const m of chat) h.fake.sendUserMessage(m);
    for (const m of chat) await h.waitForLog((l) => l.event === 'not_a_question' && l.messageId === m.id);
    expect(h.fake.requests.slice(mark).filter(isChannelPost(threadId))).toEqual([]);
    expect(h.fake.reactions(mark)).toEqual([[String(chat[0]!.id), '👍']]);

    h.fake.sendUserMessage(userMessage({ content: 'Who replaced him?', channelId: threadId, author: newUser() }));
    expect(contentOf(await h.fake.waitForRequest(isChannelPost(threadId), mark))).toContain('Beria');
  });

  it('opens no thread for "hello everyone" in an ask channel, and quotes nothing', async () => {
    const mark = h.fake.mark();
    const hello = userMessage({ content: 'hello everyone', channelId: ids.askChannel, author: newUser() });
    h.fake.sendUserMessage(hello);
    await h.waitForLog((l) => l.event === 'not_a_question' && l.messageId === hello.id);
    expect(h.fake.requests.slice(mark).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('slash commands', () => {
  it('/ask defers first, then edits the reply with the quotes; a reply to it is a follow-up', async () => {
    const ask = slashCommand('ask', { question: NKVD_QUESTION }, { user: newUser() });
    const { mark, callback } = await runCommand(ask);
    expect(callbackType(callback)).toBe(5);
    const edit = await h.fake.waitForRequest(isOriginalEdit(ask.token), mark);
    expect(h.fake.requests.indexOf(edit)).toBeGreaterThan(h.fake.requests.indexOf(callback));
    expect(contentOf(edit)).toContain('Yezhov');

    // The user replies to the answer without mentioning the bot: same conversation.
    const stored = h.fake.originalMessage(String(ask.token))!;
    const m2 = h.fake.mark();
    h.fake.sendUserMessage(userMessage({ content: 'Who replaced him?', replyTo: stored, author: newUser() }));
    const reply = await h.fake.waitForRequest(isChannelPost(ids.channel), m2);
    expect(contentOf(reply)).toContain('Beria');
    expect(await h.waitForLog((l) => l.event === 'answered' && l.source === 'reply-chain')).toMatchObject({ followUp: true });
  });

  it('/lookup autocompletes at most 25 section titles, matching what is typed', async () => {
    const all = autocomplete('lookup', 'section', '');
    const { callback } = await runCommand(all);
    expect(callbackType(callback)).toBe(8);
    const choices = (callback.body?.data as { choices: Array<{ name: string; value: string }> }).choices;
    expect(choices.length).toBeGreaterThan(5);
    expect(choices.length).toBeLessThanOrEqual(25);

    const army = autocomplete('lookup', 'section', 'army');
    const { callback: c2 } = await runCommand(army);
    const armyChoices = (c2.body?.data as { choices: Array<{ name: string }> }).choices;
    expect(armyChoices[0]?.name).toContain('Purge of the army');
  });

  it('/lookup forgives: typed text with a typo finds its section, a miss suggests the closest headings', async () => {
    const { callback } = await runCommand(slashCommand('lookup', { section: 'purge of the armi' }, { user: newUser() }));
    expect(callbackType(callback)).toBe(4);
    expect(contentOf(callback)).toMatch(/^\*\*Great Purge › Purge of the army\*\*/);
    const { callback: miss } = await runCommand(slashCommand('lookup', { section: 'Moscow triels zzz' }, { user: newUser() }));
    expect(callbackFlags(miss)).toBe(EPHEMERAL);
    expect(contentOf(miss)).toMatch(/^No section matches "Moscow triels zzz"\. Did you mean \*\*The Moscow Trials\*\*/);
  });

  it('/lookup shows a long section in pages with buttons', async () => {
    const lookup = slashCommand('lookup', { section: 'Great Purge › The Moscow Trials' }, { user: newUser() });
    const { mark, callback } = await runCommand(lookup);
    expect(callbackType(callback)).toBe(4);
    const first = contentOf(callback);
    expect(first.length).toBeLessThanOrEqual(2000);
    expect(first).toMatch(/Page 1\/\d/);
    const next = customIdsOf(callback)[1]!;
    const press = buttonPress(next, { id: '1', channel_id: ids.channel, author: { id: ids.bot }, content: first });
    h.fake.sendInteraction(press);
    const update = await h.fake.waitForRequest(isCallback(press), mark);
    expect(callbackType(update)).toBe(7);
    expect(contentOf(update)).toMatch(/Page 2\/\d/);
  });

  it('/sections lists the table of contents', async () => {
    const { callback } = await runCommand(slashCommand('sections', {}, { user: newUser() }));
    expect(contentOf(callback)).toContain('Purge of the army');
    expect(contentOf(callback)).toContain('Victim toll');
  });
});

describe('buttons', () => {
  it('"More passages" shows the next passages and removes itself from the first answer', async () => {
    const { answer } = await askByMention('What happened to the Party and the NKVD and the army during the purge?');
    const more = customIdsOf(answer).find((id) => id.startsWith('more:'));
    expect(more).toBeDefined();
    const press = buttonPress(more!, { id: '1', channel_id: ids.channel, author: { id: ids.bot }, content: contentOf(answer) }, { user: newUser() });
    const mark = h.fake.mark();
    h.fake.sendInteraction(press);
    const update = await h.fake.waitForRequest(isCallback(press), mark);
    expect(callbackType(update)).toBe(7);
    expect(customIdsOf(update).some((id) => id.startsWith('more:'))).toBe(false);
    const next = await h.fake.waitForRequest(isFollowUp(press), mark);
    expect(contentOf(next)).toMatch(/^> /m);
    expect(contentOf(next)).not.toBe(contentOf(answer));
  });

  it('records a vote with a hashed user id and acknowledges it privately', async () => {
    const voter = newUser('voter');
    const { answer } = await askByMention(NKVD_QUESTION);
    const up = customIdsOf(answer).find((id) => id.startsWith('vote:down:'))!;
    const press = buttonPress(up, { id: '1', channel_id: ids.channel, author: { id: ids.bot }, content: '' }, { user: voter });
    const { callback } = await runCommand(press);
    expect(callbackFlags(callback)).toBe(EPHEMERAL);
    const record = (await h.bot.context.store.feedback.all()).records.at(-1);
    const hashUser = await createUserHasher(h.config.paths.data);
    expect(record).toMatchObject({ vote: 'down', question: NKVD_QUESTION, userHash: hashUser(String(voter.id)) });
    // Salted: the plain sha256 of the id, which anyone could compute, is not what is stored; nor is the id itself.
    const stored = await storedBytes(h.config.paths.data);
    expect(stored).not.toContain(createHash('sha256').update(String(voter.id)).digest('hex'));
    expect(stored).not.toContain(String(voter.id));
  });

  it('keeps buttons and threads working after a restart; unknown buttons fail politely', async () => {
    const { answer, threadId } = await askByMention(NKVD_QUESTION);
    const vote = customIdsOf(answer).find((id) => id.startsWith('vote:up:'))!;
    await h.restart();

    const { callback } = await runCommand(buttonPress(vote, { id: '1', channel_id: ids.channel, author: { id: ids.bot }, content: '' }, { user: newUser() }));
    expect(contentOf(callback)).toMatch(/Thanks/);

    const { callback: expired } = await runCommand(buttonPress('more:doesnotexist', { id: '1', channel_id: ids.channel, author: { id: ids.bot }, content: '' }, { user: newUser() }));
    expect(contentOf(expired)).toMatch(/expired/);
    expect(callbackFlags(expired)).toBe(EPHEMERAL);

    // The thread is not in the new client's cache until Discord mentions it; a real gateway sends it in GUILD_CREATE.
    h.fake.addThread({ id: threadId, type: 11, guild_id: ids.guild, parent_id: ids.channel, owner_id: ids.bot, name: 't', thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false } });
    const mark = h.fake.mark();
    h.fake.sendUserMessage(userMessage({ content: 'Who replaced him?', channelId: threadId, author: newUser() }));
    const reply = await h.fake.waitForRequest(isChannelPost(threadId), mark);
    expect(contentOf(reply)).toContain('Beria');
  });

  it('resumes after the gateway connection drops and keeps answering', async () => {
    const from = h.fake.gatewayOps.length;
    h.fake.dropConnections(4000);
    await h.fake.waitForGatewayOp(6, from);
    await askByMention('Who was Yezhov?');
  });
});

describe('double actions', () => {
  it('"More passages" pressed twice at once posts one page', async () => {
    const { answer } = await askByMention('What happened to the Party and the NKVD and the army during the purge?');
    const more = customIdsOf(answer).find((id) => id.startsWith('more:'))!;
    const presses = [newUser(), newUser()].map((user) => buttonPress(more, { id: '1', channel_id: ids.channel, author: { id: ids.bot }, content: contentOf(answer) }, { user }));
    const mark = h.fake.mark();
    for (const press of presses) h.fake.sendInteraction(press);
    const callbacks = await Promise.all(presses.map((press) => h.fake.waitForRequest(isCallback(press), mark)));
    // One press gets the page; the other is acknowledged without a change (6: deferred update).
    expect(callbacks.map(callbackType).sort()).toEqual([6, 7]);
    const winner = presses[callbacks.findIndex((c) => callbackType(c) === 7)]!;
    await h.fake.waitForRequest(isFollowUp(winner), mark);
    await h.waitForLog((l) => l.event === 'answered' && l.source === 'more-passages' && l.latencyMs !== undefined);
    expect(h.fake.requests.slice(mark).filter((r) => presses.some((p) => isFollowUp(p)(r)))).toHaveLength(1);
  });

  it('counts one vote per user and answer, the latest: five 👍 then a 👎 are one 👎', async () => {
    const { answer } = await askByMention('Who was Beria?');
    const voter = newUser('voter');
    const press = (kind: 'up' | 'down') => buttonPress(customIdsOf(answer).find((id) => id.startsWith(`vote:${kind}:`))!, { id: '1', channel_id: ids.channel, author: { id: ids.bot }, content: '' }, { user: voter });
    for (const kind of ['up', 'up', 'up', 'up', 'up', 'down'] as const) await runCommand(press(kind));
    const hashUser = await createUserHasher(h.config.paths.data);
    const byVoter = (records: FeedbackRecord[]) => records.filter((r) => r.userHash === hashUser(String(voter.id)));
    const votes = byVoter((await h.bot.context.store.feedback.all()).records);
    expect(votes.map((r) => r.vote)).toEqual(['down']);
    // `npm run feedback` counts the same: votes, not presses.
    expect(summariseFeedback(votes)).toMatchObject({ total: 1, up: 0, down: 1 });
  });
});

describe('small things', () => {
  it('keeps interaction tokens out of the logs when a reply to Discord fails', async () => {
    const sections = slashCommand('sections', {}, { user: newUser() });
    h.fake.failNext(isCallback(sections), 404, { message: 'Unknown interaction', code: 10062 });
    h.fake.sendInteraction(sections);
    const line = await h.waitForLog((l) => l.msg === 'failed to handle an interaction' && l.interactionId === sections.id);
    expect(JSON.stringify(line)).toMatch(/interactions\/\d+\/\[redacted\]\/callback/);
    expect(h.rawLogs.join('\n')).not.toContain(String(sections.token));
  });

  it('names threads without control characters, keeping underscores and never half an emoji', async () => {
    const { threadCall } = await askByMention('What did order_00447\u0007 say about the\u0000 NKVD_troikas?');
    expect(threadCall.body?.name).toBe('What did order_00447 say about the NKVD_troikas?');
    const { threadCall: long } = await askByMention(`Beria${'🙂'.repeat(60)}`);
    const name = String(long.body?.name);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/^Beria(🙂)+…$/u);
  });
});

describe('ask about this message', () => {
  it('answers the text of a message as a question, in reply to that message, with the usual buttons', async () => {
    const target = userMessage({ content: NKVD_QUESTION, author: newUser() });
    h.fake.storeMessage(target);
    const command = messageCommand('Ask about this message', target, { user: newUser() });
    const { mark, callback } = await runCommand(command);
    // Acknowledged privately at once…
    expect(callbackType(callback)).toBe(5);
    expect(callbackFlags(callback)).toBe(EPHEMERAL);
    // …then answered publicly, as a reply to the message, and the private "thinking…" removed.
    const reply = await h.fake.waitForRequest((r) => isChannelPost(ids.channel)(r) && (r.body?.message_reference as JsonObject | undefined)?.message_id === target.id, mark);
    expect(contentOf(reply)).toContain('Yezhov');
    expect(customIdsOf(reply).some((id) => id.startsWith('vote:up:'))).toBe(true);
    await h.fake.waitForRequest((r) => r.method === 'DELETE' && r.path === `/webhooks/${ids.app}/${String(command.token)}/messages/@original`, mark);
    expect(await h.waitForLog((l) => l.event === 'answered' && l.source === 'message-command')).toBeDefined();
  });

  it('tells privately when the message has no text', async () => {
    const target = userMessage({ content: '', author: newUser() });
    const { callback } = await runCommand(messageCommand('Ask about this message', target, { user: newUser() }));
    expect(callbackFlags(callback)).toBe(EPHEMERAL);
    expect(contentOf(callback)).toMatch(/no text/);
  });
});

describe('immediate feedback', () => {
  it('shows typing before answering a mention; labels the buttons', async () => {
    const mark = h.fake.mark();
    const { answer, threadCall } = await askByMention(NKVD_QUESTION);
    const typing = h.fake.requests.slice(mark).findIndex((r) => r.path === `/channels/${ids.channel}/typing`);
    expect(typing).toBeGreaterThanOrEqual(0);
    expect(typing).toBeLessThan(h.fake.requests.slice(mark).indexOf(threadCall));
    const labels = (answer.body?.components as Array<{ components: Array<{ label?: string }> }>)[0]!.components.map((c) => c.label);
    expect(labels.slice(-2)).toEqual(['Helpful', 'Not helpful']);
    if (labels.length === 3) expect(labels[0]).toBe('More passages');
  });

  it('shows that an answer waits behind others: a reaction on a message, a note in a deferred reply', async () => {
    const engine = h.engine.answer;
    let started = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.engine.answer = async (...args) => {
      started++;
      await gate;
      return engine(...args);
    };
    try {
      const mark = h.fake.mark();
      const busy = Array.from({ length: h.config.fairUse.maxConcurrentAnswers }, () => mentionMessage(NKVD_QUESTION, { author: newUser() }));
      for (const m of busy) h.fake.sendUserMessage(m);
      await vi.waitFor(() => expect(started).toBe(busy.length));
      const waiting = mentionMessage('Who was Beria?', { author: newUser() });
      h.fake.sendUserMessage(waiting);
      await h.fake.waitForRequest((r) => r.method === 'PUT' && r.path === `/channels/${ids.channel}/messages/${String(waiting.id)}/reactions/⏳/@me`, mark);
      const ask = slashCommand('ask', { question: NKVD_QUESTION }, { user: newUser() });
      h.fake.sendInteraction(ask);
      const queued = await h.fake.waitForRequest(isOriginalEdit(ask.token), mark);
      expect(contentOf(queued)).toMatch(/^⏳ Queued: \d+ questions? ahead of yours/);
      release();
      await h.fake.waitForRequest(isChannelPost(String(waiting.id)), mark);
      await h.fake.waitForRequest((r) => r.method === 'DELETE' && r.path === `/channels/${ids.channel}/messages/${String(waiting.id)}/reactions/⏳/@me`, mark);
      await h.fake.waitForRequest((r) => isOriginalEdit(ask.token)(r) && contentOf(r).includes('Yezhov'), mark);
    } finally {
      release();
      h.engine.answer = engine;
    }
  });
});

describe('direct messages', () => {
  it('answers in the DM itself, and each DM is a follow-up of the earlier ones', async () => {
    const dm = snowflake();
    const author = newUser();
    let mark = h.fake.mark();
    h.fake.sendUserMessage(directMessage({ content: NKVD_QUESTION, channelId: dm, author }));
    const first = await h.fake.waitForRequest(isChannelPost(dm), mark);
    expect(contentOf(first)).toContain('Nikolai Yezhov');
    mark = h.fake.mark();
    h.fake.sendUserMessage(directMessage({ content: 'Who replaced him?', channelId: dm, author }));
    const second = await h.fake.waitForRequest(isChannelPost(dm), mark);
    expect(contentOf(second)).toContain('Lavrenty Beria succeeded him');
    expect(h.fake.requests.some((r) => r.path.endsWith('/threads') && r.path.startsWith(`/channels/${dm}/`))).toBe(false);
  });

  it('answers a DM with nothing to ask (a sticker, an attachment) with how to ask', async () => {
    const dm = snowflake();
    const mark = h.fake.mark();
    h.fake.sendUserMessage(directMessage({ content: '', channelId: dm, author: newUser() }));
    const reply = await h.fake.waitForRequest(isChannelPost(dm), mark);
    expect(contentOf(reply)).toBe(USAGE_HINT);
  });
});

describe('every message the bot sent', () => {
  it('disables all mentions and stays within 2,000 characters', () => {
    const withContent = h.fake.requests.filter((r) => r.method !== 'GET' && contentOf(r) !== '');
    expect(withContent.length).toBeGreaterThan(20);
    for (const r of withContent) {
      const body = r.body ?? {};
      const data = (body.data as JsonObject | undefined) ?? body;
      expect(data.allowed_mentions, `${r.method} ${r.path}`).toMatchObject({ parse: [] });
      expect(contentOf(r).length).toBeLessThanOrEqual(2000);
    }
  });
});
