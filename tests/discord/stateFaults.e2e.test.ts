/**
 * Faults of the state store, with the real discord.js client against the fake Discord: Redis stopped while the
 * bot runs (answers go on, the log says so, nothing is lost, it reconnects), and a store that cannot be used at
 * start (one sentence naming the setting, exit 1, before the model is loaded).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botHealthChecks } from '../../src/discord/health.ts';
import { runChecks } from '../../src/service/health.ts';
import { contentOf, FAKE_TOKEN, isChannelPost, newUser, startHarness, type Harness } from './harness.ts';
import { mentionMessage, userMessage } from './payloads.ts';
import { startBotProcess } from '../helpers/botProcess.ts';
import { REDIS_SKIP_REASON, redisInstalled, startRedis, type TestRedis } from '../helpers/redisServer.ts';
import { makeTempDir, removeDir, testIndexDir } from '../helpers/tempProject.ts';

describe.skipIf(!redisInstalled)(`Redis stopped while the bot runs${redisInstalled ? '' : ` (${REDIS_SKIP_REASON})`}`, () => {
  let redis: TestRedis;
  let h: Harness;
  beforeAll(async () => {
    redis = await startRedis();
    h = await startHarness({ env: { STATE_URL: redis.url, RATE_LIMIT_COUNT: '100' } });
  });
  afterAll(async () => {
    await h?.close();
    await redis?.close();
  });

  async function askInThread(threadId: string, question: string): Promise<string> {
    const mark = h.fake.mark();
    h.fake.sendUserMessage(userMessage({ content: question, channelId: threadId, author: newUser() }));
    return contentOf(await h.fake.waitForRequest(isChannelPost(threadId), mark, 30_000));
  }

  it('answers on, reports the store unhealthy, and after the restart knows what was said meanwhile', async () => {
    const checks = botHealthChecks(h.bot.client, h.engine, h.bot.context.store);
    expect((await runChecks(checks, 1000)).ok).toBe(true);

    await redis.stop();
    // A new question while Redis is down: answered, in a thread, and its turn is kept for later.
    let mark = h.fake.mark();
    const question = mentionMessage('Who headed the NKVD at the height of the purge?', { author: newUser() });
    h.fake.sendUserMessage(question);
    const threadId = String(question.id);
    expect(contentOf(await h.fake.waitForRequest(isChannelPost(threadId), mark, 30_000))).toContain('Yezhov');
    expect(await h.waitForLog((l) => l.event === 'state_unreachable')).toMatchObject({ level: 40 });
    const health = await runChecks(checks, 1000);
    expect(health.ok).toBe(false);
    expect(health.checks.state?.ok).toBe(false);
    expect(health.checks.gateway?.ok).toBe(true);

    mark = h.fake.mark();
    const saved = h.waitForLog((l) => l.event === 'state_reachable');
    await redis.start();
    expect(await saved).toMatchObject({ saved: expect.any(Number) });
    expect(Number((await saved).saved)).toBeGreaterThanOrEqual(2);
    expect((await runChecks(checks, 1000)).ok).toBe(true);

    // The follow-up is answered in the context of the question asked during the outage.
    expect(await askInThread(threadId, 'Who replaced him?')).toContain('Beria');
    expect(h.fake.requests.slice(mark).some((r) => contentOf(r).includes('Sorry, something went wrong'))).toBe(false);
  });
});

describe.concurrent('a state store that cannot be used at start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await makeTempDir('faults');
  });
  afterAll(async () => {
    await removeDir(dataDir);
  });

  const start = (env: Record<string, string>) =>
    startBotProcess({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: 'http://127.0.0.1:1/api', DATA_DIR: dataDir, INDEX_DIR: testIndexDir(), ...env });

  it('stops with one sentence naming STATE_URL when Redis is unreachable', async () => {
    const bot = start({ STATE_URL: 'redis://127.0.0.1:1' });
    expect(await bot.exited()).toBe(1);
    expect(bot.sentences()).toEqual([expect.stringMatching(/^Could not reach Redis at redis:\/\/127\.0\.0\.1:1 given in STATE_URL \(.+\)\. Start Redis there, or fix STATE_URL in \.env\.$/)]);
  });

  it('stops with one sentence naming STATE_URL when the SQLite file cannot be created', async () => {
    await fs.writeFile(path.join(dataDir, 'a-file'), '');
    const bot = start({ STATE_URL: `sqlite:${path.join(dataDir, 'a-file', 'state.sqlite')}` });
    expect(await bot.exited()).toBe(1);
    expect(bot.sentences()).toEqual([expect.stringMatching(/^Could not open the state database .*state\.sqlite \(.+\)\. Point STATE_URL at a file the bot can write/)]);
  });

  it('stops with one sentence, instead of hanging, when STATE_URL or DATA_DIR is under a folder that refuses new entries', async () => {
    // Under /proc, Node 20's mkdir with `recursive: true` never returns.
    const badState = start({ STATE_URL: 'sqlite:/proc/no-such-dir/state.sqlite' });
    const badData = start({ DATA_DIR: '/proc/no-such-dir/data' });
    expect(await badState.exited(30_000)).toBe(1);
    expect(badState.sentences()).toEqual([expect.stringMatching(/^Could not open the state database \/proc\/no-such-dir\/state\.sqlite \(.*ENOENT.*\)\. Point STATE_URL at/)]);
    expect(await badData.exited(30_000)).toBe(1);
    expect(badData.sentences()).toEqual([expect.stringMatching(/^DATA_DIR \(\/proc\/no-such-dir\/data\) is not a folder the bot can write to \(ENOENT\)\. /)]);
  });

  it('refuses the JSON files for several shard processes, in one sentence', async () => {
    const bot = start({ STATE_URL: 'json', DISCORD_SHARDS: '2' });
    expect(await bot.exited()).toBe(1);
    expect(bot.sentences()).toEqual([
      'STATE_URL=json keeps the state of one process and cannot be shared by shard processes (DISCORD_SHARDS=2). Leave STATE_URL empty (SQLite, for shards on one host) or set it to redis://… (any number of hosts).',
    ]);
  });
});
