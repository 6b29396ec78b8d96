/**
 * Pure decisions of the bot: routing messages, button ids, section matching, fair use, feedback, start-up errors,
 * which shard answers a question left pending.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createUserHasher } from '../../src/state/userHash.ts';
import type { SectionInfo } from '../../src/retrieval/types.ts';
import { makeTempDir, removeDir } from '../helpers/tempProject.ts';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { ConcurrencyLimit } from '../../src/discord/fairUse/concurrencyLimit.ts';
import { RateLimitWindows } from '../../src/state/rateLimitWindows.ts';
import { rateLimitNotice } from '../../src/discord/fairUse/questionAllowance.ts';
import { describeBuild } from '../../src/discord/functions/reindex.ts';
import { closestSections, findSection, matchSections, sectionChoices } from '../../src/discord/functions/sectionMatch.ts';
import { classifyMessage, threadNameFor, type MessageFacts } from '../../src/discord/handling/classifyMessage.ts';
import { stripMentions } from '../../src/discord/handling/mentions.ts';
import { chitChatKind } from '../../src/discord/handling/chitChat.ts';
import { intentsFor } from '../../src/discord/intents.ts';
import { decodeCustomId, encodeCustomId, type ButtonAction } from '../../src/discord/state/customIds.ts';
import { summariseFeedback } from '../../src/state/feedbackSummary.ts';
import { asStartupError, TOKEN_REJECTED } from '../../src/discord/startupErrors.ts';
import { IndexError } from '../../src/index/indexError.ts';
import type { Client } from 'discord.js';
import { ownsPending } from '../../src/discord/lifecycle/recover.ts';
import type { PendingQuestion } from '../../src/state/types.ts';
import { shardOfGuild } from './fakeDiscord.ts';
import { ids } from './payloads.ts';

describe('routing messages', () => {
  const base: MessageFacts = { fromBot: false, mentionsBot: false, channelId: '1', inDirectMessage: false, inBotThread: false, askChannelIds: [] };

  it.each<[string, Partial<MessageFacts>, string]>([
    ['a bot, even mentioning us', { fromBot: true, mentionsBot: true }, 'ignore'],
    ['a plain message elsewhere', {}, 'ignore'],
    ['a mention', { mentionsBot: true }, 'new:mention'],
    ['a message in an ask channel', { askChannelIds: ['1'] }, 'new:ask-channel'],
    ['a message in our thread', { inBotThread: true }, 'follow-up:thread'],
    ['a reply to one of our answers', { repliedConversation: 'c1' }, 'follow-up:reply-chain'],
    ['a mention in our thread', { inBotThread: true, mentionsBot: true }, 'follow-up:thread'],
    ['a direct message', { inDirectMessage: true }, 'follow-up:direct-message'],
    ['a bot writing to us directly', { inDirectMessage: true, fromBot: true }, 'ignore'],
  ])('%s', (_name, facts, expected) => {
    const route = classifyMessage({ ...base, ...facts });
    expect(route.kind === 'ignore' ? 'ignore' : `${route.kind}:${route.source}`).toBe(expected);
  });

  it('removes every mention and markup token from the question, not only the bot\'s', () => {
    expect(stripMentions('<@42> who was  Yezhov? <@!42>')).toBe('who was Yezhov?');
    expect(stripMentions('<@42>')).toBe('');
    expect(stripMentions('<@42> <@7>, who led the NKVD?')).toBe('who led the NKVD?');
    expect(stripMentions('<@&9> <#123> what was </ask:55> @everyone @here <:pepe:77> <a:dance:78> <t:1700000000:R> the purge?')).toBe('what was the purge?');
    expect(stripMentions('-n is a question')).toBe('-n is a question');
  });

  it('names threads without mentions, markdown or control characters, within 100 characters, never cutting an emoji', () => {
    expect(threadNameFor('<@42> **Who** was @everyone <@&9>?')).toBe('Who was ?');
    expect(threadNameFor('why '.repeat(50)).length).toBeLessThanOrEqual(100);
    expect(threadNameFor('<@42>')).toBe('Question');
    expect(threadNameFor('what is snake_case\u0007 in\u0000 the\u200B purge?')).toBe('what is snake_case in the purge?');
    const emoji = threadNameFor(`${'a'.repeat(88)} 👨‍👩‍👧‍👦 tail words here to make it long enough for a cut`);
    expect(emoji.length).toBeLessThanOrEqual(100);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    const long = threadNameFor('x'.repeat(89) + '😀'.repeat(10));
    expect(long).toMatch(/^x{89}…$/);
  });
});

describe('chit-chat', () => {
  it.each([
    ['thanks!', 'thanks'],
    ['Thank you so much 🙏', 'thanks'],
    ['thx a lot', 'thanks'],
    ['hello everyone', 'greeting'],
    ['good morning all', 'greeting'],
    ['lol', 'laughter'],
    ['hahaha', 'laughter'],
    ['ok', 'acknowledgement'],
    ['got it, makes sense', 'acknowledgement'],
    ['cool', 'acknowledgement'],
    ['👍', 'emoji'],
    ['!!!', 'emoji'],
  ])('%s is chit-chat (%s)', (text, kind) => {
    expect(chitChatKind(text)).toBe(kind);
  });

  it.each(['Who replaced him?', 'and the navy', 'Beria?', 'ok so who replaced him', 'thanks, but when did it end?', 'explain', 'Yezhov', 'how many died'])(
    '%s is a question',
    (text) => {
      expect(chitChatKind(text)).toBeUndefined();
    },
  );
});

describe('button ids', () => {
  const actions: ButtonAction[] = [
    { kind: 'more', answerKey: 'AbC_d-12' },
    { kind: 'vote', vote: 'up', answerKey: 'k' },
    { kind: 'vote', vote: 'down', answerKey: 'k' },
    { kind: 'section-page', sectionKey: 'abcdefghijklmnop', page: 3 },
    { kind: 'toc-page', page: 0 },
  ];
  it.each(actions)('round-trips %o within 100 characters', (action) => {
    const id = encodeCustomId(action);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(decodeCustomId(id)).toEqual(action);
  });
  it('rejects ids it did not make', () => {
    expect(decodeCustomId('vote:sideways:k')).toBeUndefined();
    expect(decodeCustomId('something')).toBeUndefined();
  });
});

describe('section matching', () => {
  const mk = (path: string[], isReference = false): SectionInfo => ({
    articleId: 'gp',
    articleTitle: 'Great Purge',
    sectionPath: path,
    label: ['Great Purge', ...path].join(' › '),
    sectionIndex: 0,
    isReference,
  });
  const sections = [mk([]), mk(['The Moscow Trials']), mk(['Purge of the army']), mk(['The wider purge']), mk(['External links'], true)];
  const many = Array.from({ length: 60 }, (_, i) => mk([`Part ${i}`]));

  it('offers at most 25 choices', () => {
    expect(sectionChoices(many, '')).toHaveLength(25);
    expect(sectionChoices(many, 'part')).toHaveLength(25);
  });

  it('prefers headings that start with the text, then substrings, then letters in order', () => {
    expect(matchSections(sections, 'purge').map((s) => s.label)[0]).toBe('Great Purge › Purge of the army');
    expect(matchSections(sections, 'army').map((s) => s.label)).toEqual(['Great Purge › Purge of the army']);
    expect(matchSections(sections, 'mscw trl').map((s) => s.label)).toEqual(['Great Purge › The Moscow Trials']);
  });

  it('finds a section from a chosen value or from typed text', () => {
    expect(findSection(sections, 'Great Purge › The wider purge')?.sectionPath).toEqual(['The wider purge']);
    expect(findSection(sections, 'moscow')?.sectionPath).toEqual(['The Moscow Trials']);
    expect(findSection(sections, 'zzzz')).toBeUndefined();
  });

  it('forgives typos in typed text, and suggests the closest headings when nothing matches', () => {
    expect(findSection(sections, 'purge of the armi')?.sectionPath).toEqual(['Purge of the army']);
    expect(findSection(sections, 'moscw trials')?.sectionPath).toEqual(['The Moscow Trials']);
    expect(findSection(sections, 'Moscow triels zzz')).toBeUndefined();
    expect(closestSections(sections, 'Moscow triels zzz').map((s) => s.sectionPath.at(-1))).toEqual(['The Moscow Trials']);
    expect(closestSections(sections, 'qqqq')).toEqual([]);
  });

  it('keeps choice values within 100 characters and finds long ones by key', () => {
    const long = mk(['x'.repeat(150)]);
    const [choice] = sectionChoices([long], '');
    expect(choice!.value.length).toBeLessThanOrEqual(100);
    expect(choice!.name.length).toBeLessThanOrEqual(100);
    expect(findSection([long], choice!.value)).toBe(long);
  });
});

describe('fair use', () => {
  it('allows `count` questions per window per user, then says how long to wait', () => {
    let now = 0;
    const windows = new RateLimitWindows(() => now);
    const rule = { count: 2, windowMs: 10_000 };
    const limiter = { take: (key: string) => windows.take(key, rule) };
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('b').allowed).toBe(true);
    now = 4000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 6000 });
    now = 10_001;
    expect(limiter.take('a').allowed).toBe(true);
    expect(rateLimitNotice(6000)).toMatch(/wait 6 s/);
  });

  it('runs at most `max` answers at once and queues the rest in order', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      order.push(i);
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => limit.run(task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(order.slice(2)).toEqual([2, 3, 4]);
  });

  it('frees its slot when a task fails', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limit.run(async () => 'ok')).resolves.toBe('ok');
  });
});

describe('feedback summary', () => {
  it('counts votes and ranks the worst questions and passages', () => {
    let answers = 0;
    const rec = (question: string, vote: 'up' | 'down', chunkIds: string[], user = 'u1') => ({ time: 't', answerKey: `a${++answers}`, question, vote, chunkIds, userHash: `hash-${user}` });
    const s = summariseFeedback([
      rec('Who was Yezhov?', 'down', ['c1', 'c2']),
      rec('who was  yezhov?', 'down', ['c1'], 'u2'),
      rec('Who was Beria?', 'up', ['c3']),
      rec('Who was Beria?', 'down', ['c3']),
      rec('When?', 'up', ['c2']),
    ]);
    expect(s).toMatchObject({ total: 5, up: 2, down: 3, voters: 2 });
    expect(s.worstQuestions.map((t) => [t.key, t.score])).toEqual([
      ['who was yezhov?', -2],
      ['who was beria?', 0],
    ]);
    expect(s.worstPassages[0]).toMatchObject({ key: 'c1', down: 2 });
  });

  it('counts votes, not presses: one per user and answer, the latest one', () => {
    const press = (vote: 'up' | 'down', user: string, answerKey = 'k1') => ({ time: 't', answerKey, question: 'Who was Yezhov?', vote, chunkIds: ['c1'], userHash: user });
    const s = summariseFeedback([press('up', 'u1'), press('up', 'u1'), press('up', 'u1'), press('down', 'u1'), press('up', 'u2'), press('up', 'u1', 'k2')]);
    expect(s).toMatchObject({ total: 3, up: 2, down: 1, voters: 2 });
  });

  it('hashes user ids with a salt kept across restarts, different per installation', async () => {
    const dirs = await Promise.all([makeTempDir('salt'), makeTempDir('salt')]);
    const [first, again, other] = await Promise.all([createUserHasher(dirs[0]), createUserHasher(dirs[0]), createUserHasher(dirs[1])]);
    expect(first('123')).toMatch(/^[0-9a-f]{64}$/);
    expect(first('123')).not.toBe(createHash('sha256').update('123').digest('hex'));
    expect(again('123')).toBe(first('123'));
    expect(other('123')).not.toBe(first('123'));
    await Promise.all(dirs.map(removeDir));
  });
});

describe('start-up', () => {
  it('explains failures in one sentence', () => {
    expect(asStartupError(new ConfigError('DISCORD_TOKEN is not set', 'Put it in .env.')).message).toBe('DISCORD_TOKEN is not set. Put it in .env.');
    expect(asStartupError(Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' })).message).toBe(TOKEN_REJECTED);
    expect(asStartupError(new IndexError('INDEX_MISSING', 'No index found in index/', 'Run `npm run build-index`.')).message).toBe(
      'No index found in index/. Run `npm run build-index`.',
    );
    const unexpected = asStartupError(new Error('Something odd\n    at foo'));
    expect(unexpected.message).toBe('The bot could not start (Something odd). Run with LOG_LEVEL=debug for the details.');
    expect(unexpected.code).toBe('STARTUP_FAILED');
  });

  it('asks for Message Content only when a feature reads unmentioned messages', () => {
    const has = (env: Record<string, string>) => intentsFor(loadConfig(env)).includes(1 << 15);
    expect(has({ REPLY_MODE: 'reply' })).toBe(false);
    expect(has({ REPLY_MODE: 'thread' })).toBe(true);
    expect(has({ REPLY_MODE: 'reply', ASK_CHANNEL_IDS: '123456789012345678' })).toBe(true);
  });

  it('describes a build for /reindex', () => {
    const summary = { articles: 1, sections: 20, chunks: 80, embedded: 2, reused: 78, removed: 1, parsed: 1, ms: 1234, changed: true };
    expect(describeBuild(summary)).toBe('Index rebuilt in 1.2 s: 1 article, 20 sections, 80 chunks (2 embedded, 78 reused, 1 removed). Answers now use it.');
    expect(describeBuild({ ...summary, changed: false })).toMatch(/has not changed/);
  });
});

describe('which shard answers a question left pending', () => {
  const question = (guildId: string | null): PendingQuestion => ({ kind: 'message', key: 'k', acceptedAt: 1, channelId: 'c', guildId, messageId: 'm' });
  const shard = (id: number, count: number) => ({ shard: { ids: [id], count } }) as unknown as Client;

  it('is the shard that serves its server now; direct messages go to shard 0; one process answers all', () => {
    for (const guildId of [ids.guild, ids.guild2]) {
      const owner = shardOfGuild(guildId, 2);
      expect(ownsPending(shard(owner, 2), question(guildId))).toBe(true);
      expect(ownsPending(shard(1 - owner, 2), question(guildId))).toBe(false);
    }
    expect(ownsPending(shard(0, 2), question(null))).toBe(true);
    expect(ownsPending(shard(1, 2), question(null))).toBe(false);
    expect(ownsPending({ shard: null } as unknown as Client, question(ids.guild))).toBe(true);
  });
});
