/**
 * DISCORD_SHARDS with Redis, as real processes against the fake Discord: the ShardingManager starts one process
 * per shard, each answers the server of its shard (also the questions an earlier run left unanswered, once), the
 * rate limit holds across both, a /reindex in one makes both quote the new text, and each serves /healthz and
 * /metrics.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { KEY_PREFIX } from '../../src/state/redis/client.ts';
import { openStateStore } from '../../src/state/openStateStore.ts';
import { FakeDiscord, shardOfGuild, type RecordedRequest } from './fakeDiscord.ts';
import { captureLogger, contentOf, FAKE_TOKEN, isCallback, isChannelPost, isOriginalEdit, newUser } from './harness.ts';
import { ids, mentionMessage, slashCommand, type JsonObject } from './payloads.ts';
import { startBotProcess, type BotProcess, type LogLine } from '../helpers/botProcess.ts';
import { REDIS_SKIP_REASON, redisInstalled, useRedis } from '../helpers/redisServer.ts';
import { tempProject, type TempProject } from '../helpers/tempProject.ts';

const ORIGINAL = 'Lavrenty Beria succeeded him as head of the NKVD.';
const EDITED = 'Lavrenty Beria, a fellow Georgian of Stalin, succeeded him as head of the NKVD.';
const where: Record<string, { channelId: string; shard: number }> = {
  [ids.guild]: { channelId: ids.channel, shard: shardOfGuild(ids.guild, 2) },
  [ids.guild2]: { channelId: ids.channel2, shard: shardOfGuild(ids.guild2, 2) },
};

let fake: FakeDiscord;
let redis: { url: string; close(): Promise<void> };
let dirs: TempProject;
let manager: BotProcess;
/** A question in each server that an earlier run accepted and never answered. */
const leftPending = Object.fromEntries(
  Object.entries(where).map(([guildId, { channelId }]) => [guildId, mentionMessage('Who was Yezhov?', { author: newUser(), guildId, channelId })]),
);
/** The state store the shards share, as another process sees it. */
const openSharedStore = () => openStateStore(loadConfig({ STATE_URL: redis.url, DATA_DIR: dirs.dataDir }), captureLogger().logger);
const isReplyTo = (message: JsonObject) => (r: RecordedRequest) =>
  isChannelPost(String(message.channel_id))(r) && (r.body?.message_reference as JsonObject | undefined)?.message_id === message.id;

describe.skipIf(!redisInstalled && !process.env.TEST_REDIS_URL)(`two shard processes on Redis${redisInstalled ? '' : ` (${REDIS_SKIP_REASON})`}`, () => {
  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: FAKE_TOKEN, shards: 2, maxConcurrency: 2, guilds: [ids.guild, ids.guild2] });
    redis = await useRedis(2);
    dirs = await tempProject({ copyIndex: true });
    const store = await openSharedStore();
    for (const [guildId, message] of Object.entries(leftPending)) {
      fake.storeMessage(message);
      const id = String(message.id);
      await store.pending.add({ kind: 'message', key: `message:${id}`, acceptedAt: Date.now(), channelId: where[guildId]!.channelId, guildId, messageId: id });
    }
    await store.close();
    manager = startBotProcess({
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_SHARDS: 'auto',
      STATE_URL: redis.url,
      HEALTH_PORT: '0',
      REPLY_MODE: 'reply',
      RATE_LIMIT_COUNT: '2',
      RATE_LIMIT_WINDOW_SECONDS: '600',
      CORPUS_DIR: dirs.corpusDir,
      INDEX_DIR: dirs.indexDir,
      DATA_DIR: dirs.dataDir,
    });
    await manager.waitForLog((l) => l.event === 'shards_ready', 120_000);
    // Each shard says it is ready to the manager a moment before it logs so.
    await Promise.all([0, 1].map((shard) => manager.waitForLog((l) => l.event === 'health_listening' && l.shard === shard)));
  });
  afterAll(async () => {
    if (manager) expect(await manager.stop()).toBe(0);
    await fake?.close();
    await redis?.close();
    await dirs?.cleanup();
  });

  /** Asks by mention in a server; resolves with the reply and the shard that logged the answer. */
  async function ask(guildId: string, question: string, author: JsonObject = newUser()): Promise<{ text: string; shard?: unknown }> {
    const { channelId } = where[guildId]!;
    const mark = fake.mark();
    const message = mentionMessage(question, { author, guildId, channelId });
    fake.sendUserMessage(message);
    const reply = await fake.waitForRequest(isChannelPost(channelId), mark, 30_000);
    const answered = manager.logs.find((l) => l.event === 'answered' && l.channelId === channelId && l.guildId === guildId);
    return { text: contentOf(reply), shard: answered?.shard };
  }

  it('starts one process per shard, as /gateway/bot recommends, each with its own servers', async () => {
    expect(fake.identifiedShards.map(([id, count]) => `${id}/${count}`).sort()).toEqual(['0/2', '1/2']);
    const ready = await Promise.all([0, 1].map((shard) => manager.waitForLog((l) => l.event === 'ready' && l.shard === shard)));
    expect(ready.map((l) => [l.shard, l.guilds]).sort()).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(new Set(ready.map((l) => l.pid)).size).toBe(2);
  });

  it('answers each question an earlier run left unanswered once, from the shard of its server', async () => {
    for (const message of Object.values(leftPending)) {
      expect(contentOf(await fake.waitForRequest(isReplyTo(message), 0, 30_000))).toContain('Yezhov');
    }
    // Each shard recovered the one question of its own server, not the other shard's.
    const recovering = manager.logs.filter((l) => l.event === 'recovering').map((l) => [l.shard, l.questions]);
    expect(recovering.sort()).toEqual([
      [0, 1],
      [1, 1],
    ]);
    const store = await openSharedStore();
    await expect.poll(() => store.pending.list()).toEqual([]);
    await store.close();
    for (const message of Object.values(leftPending)) expect(fake.requests.filter(isReplyTo(message))).toHaveLength(1);
  });

  it('answers a question in a server of each shard, each from its own shard', async () => {
    for (const guildId of [ids.guild, ids.guild2]) {
      const { text } = await ask(guildId, 'Who headed the NKVD at the height of the purge?');
      expect(text).toContain('Yezhov');
      const line = await manager.waitForLog((l) => l.event === 'answered' && l.guildId === guildId);
      expect(line.shard).toBe(where[guildId]!.shard);
    }
  });

  it('holds the rate limit across both shards', async () => {
    const author = newUser('both-servers');
    expect((await ask(ids.guild, 'Who was Yezhov?', author)).text).toContain('— *Great Purge');
    expect((await ask(ids.guild2, 'Who was Beria?', author)).text).toContain('— *Great Purge');
    // The third question, in the first server again, is over the limit: a ✋ on it instead of an answer.
    const mark = fake.mark();
    const third = mentionMessage('Who was Stalin?', { author, guildId: ids.guild, channelId: where[ids.guild]!.channelId });
    fake.sendUserMessage(third);
    await manager.waitForLog((l) => l.event === 'rate_limited' && l.messageId === third.id);
    await fake.waitForRequest((r) => r.method === 'PUT' && r.path.includes(`/messages/${String(third.id)}/reactions/`), mark);
    expect(fake.reactions(mark)).toEqual([[String(third.id), '✋']]);
    expect(fake.requests.slice(mark).filter(isChannelPost(where[ids.guild]!.channelId))).toEqual([]);
  });

  it('serves /healthz and /metrics per shard', async () => {
    const listening = manager.logs.filter((l) => l.event === 'health_listening');
    expect(listening.map((l) => l.shard).sort()).toEqual([0, 1]);
    for (const line of listening) {
      const health = await fetch(`http://127.0.0.1:${String(line.port)}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, checks: { gateway: { ok: true, status: 'connected' }, index: { ok: true }, state: { ok: true, status: 'redis reachable' } } });
      const metrics = await (await fetch(`http://127.0.0.1:${String(line.port)}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`quotebot_questions_total\\{source="mention",shard="${String(line.shard)}"\\} [1-9]`));
      expect(metrics).toContain('process_resident_memory_bytes');
    }
  });

  /** Runs /reindex as a manager in a server; resolves with the private reply. */
  async function reindexIn(guildId: string): Promise<string> {
    const interaction = slashCommand('reindex', {}, { user: newUser(), admin: true, guildId, channelId: where[guildId]!.channelId });
    const mark = fake.mark();
    fake.sendInteraction(interaction);
    await fake.waitForRequest(isCallback(interaction), mark);
    return contentOf(await fake.waitForRequest(isOriginalEdit(interaction.token), mark, 120_000));
  }

  it('does not rebuild while another process holds the rebuild lock, and says so', async () => {
    const raw = new Redis(redis.url);
    // As a process on another host that is rebuilding would hold it.
    await raw.set(`${KEY_PREFIX}mutex:lock:reindex`, 'another-process', 'PX', 60_000);
    try {
      expect(await reindexIn(ids.guild)).toMatch(/^Another bot process is rebuilding the index right now\. Every process answers from the new index/);
    } finally {
      await raw.del(`${KEY_PREFIX}mutex:lock:reindex`);
      await raw.quit();
    }
    expect(manager.logs.some((l) => l.event === 'index_built')).toBe(false);
  });

  it('a /reindex in one shard rebuilds once and makes both quote the new text', async () => {
    const file = path.join(dirs.corpusDir, 'great-purge.txt');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(ORIGINAL, EDITED));
    const swapped = (shard: number) => manager.waitForLog((l: LogLine) => l.event === 'index_swapped' && l.shard === shard, 120_000);
    const swaps = Promise.all([swapped(0), swapped(1)]);

    expect(await reindexIn(ids.guild2)).toMatch(/Index rebuilt/);
    await swaps;
    expect(manager.logs.filter((l) => l.event === 'index_built')).toHaveLength(1);

    for (const guildId of [ids.guild, ids.guild2]) {
      expect((await ask(guildId, 'Who succeeded Yezhov as head of the NKVD?')).text).toContain('a fellow Georgian of Stalin');
    }
  });
});
