/**
 * Measurements of the state store and the sharded bot, for `npm run bench-state` (and a later `npm run bench`):
 * state write latency on SQLite and Redis (and the old JSON files, as a yardstick), answers per second with two shard processes under a burst, and the
 * memory of each shard process. Uses the tests' fake Discord and redis-server helpers: the bot talks to nothing
 * but 127.0.0.1.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { openJsonFileStore } from '../../src/state/jsonFileStore.ts';
import { openRedisStore } from '../../src/state/redis/redisStore.ts';
import { openSqliteStore } from '../../src/state/sqlite/sqliteStore.ts';
import type { StateStore } from '../../src/state/types.ts';
import { FakeDiscord } from '../../tests/discord/fakeDiscord.ts';
import { ids, mentionMessage, user } from '../../tests/discord/payloads.ts';
import { startBotProcess } from '../../tests/helpers/botProcess.ts';
import { startRedis } from '../../tests/helpers/redisServer.ts';
import { percentiles, progress, round2, type Percentiles } from './benchStats.ts';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';
const limits = { conversations: 2000, messages: 10_000, answers: 5000, records: 100_000 };
const load = () => round2(os.loadavg()[0]!);

export interface WriteLatency {
  /** `json`: the old files, rewritten whole on every change (the yardstick SQLite replaced). */
  backend: 'json' | 'sqlite' | 'redis';
  recordTurn: Percentiles;
  save: Percentiles;
  loadAverage: number;
}

/** Times `count` recordTurn and `count` answers.save calls, one after another, in ms. */
async function timeWrites(store: StateStore, count: number): Promise<{ recordTurn: Percentiles; save: Percentiles }> {
  const turns: number[] = [];
  const saves: number[] = [];
  for (let i = 0; i < count; i++) {
    let t = performance.now();
    await store.conversations.recordTurn(`conversation-${i % 500}`, { question: `Question number ${i}?`, searchedFor: `question number ${i}` }, `message-${i}`);
    turns.push(performance.now() - t);
    t = performance.now();
    await store.answers.save({ question: `Question number ${i}?`, history: [{ question: 'before' }], skip: 0, shown: 3, chunkIds: ['a', 'b', 'c'], createdAt: Date.now(), sections: ['Great Purge › Victim toll ¶1'] });
    saves.push(performance.now() - t);
  }
  return { recordTurn: percentiles(turns), save: percentiles(saves) };
}

export async function measureWriteLatency(count: number): Promise<WriteLatency[]> {
  const logger = createLogger('silent');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'quotebot-bench-state-'));
  const redis = await startRedis();
  try {
    progress(`state writes: JSON files, the old default (${count} of each)`);
    const json = await openJsonFileStore(path.join(dir, 'json'), logger, { ...limits, turns: 6 });
    const jsonTimes = { backend: 'json' as const, ...(await timeWrites(json, count)), loadAverage: load() };
    await json.close();
    progress(`state writes: SQLite (${count} of each)`);
    const sqlite = await openSqliteStore({ file: path.join(dir, 'state.sqlite'), dataDir: dir, limits, keepMs: 86_400_000, turns: 6 }, logger);
    const sqliteTimes = { backend: 'sqlite' as const, ...(await timeWrites(sqlite, count)), loadAverage: load() };
    await sqlite.close();
    progress(`state writes: Redis (${count} of each)`);
    const store = await openRedisStore({ url: redis.url, limits, keepMs: 86_400_000, turns: 6 }, logger);
    const redisTimes = { backend: 'redis' as const, ...(await timeWrites(store, count)), loadAverage: load() };
    await store.close();
    return [jsonTimes, sqliteTimes, redisTimes];
  } finally {
    await redis.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export interface ShardBurst {
  questions: number;
  seconds: number;
  answersPerSecond: number;
  /** RSS of each shard process after the burst (its /metrics), MB. */
  shardRssMb: Record<string, number>;
  loadAverage: { before: number; after: number };
}

/**
 * Starts the bot with DISCORD_SHARDS=2 on Redis against the fake Discord (two servers, one per shard), sends
 * `count` questions at once, half to each server, each from its own user, and times until the last answer is posted.
 */
export async function measureShardBurst(count: number): Promise<ShardBurst> {
  const fake = await FakeDiscord.start({ token: TOKEN, shards: 2, maxConcurrency: 2, guilds: [ids.guild, ids.guild2] });
  const redis = await startRedis();
  const data = await fs.mkdtemp(path.join(os.tmpdir(), 'quotebot-bench-shards-'));
  const questions = (JSON.parse(await fs.readFile(path.join(PROJECT_ROOT, 'tests/eval/dev/questions.json'), 'utf8')) as Array<{ question: string }>).map((q) => q.question);
  progress('shard burst: starting two shard processes');
  const bot = startBotProcess({
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_SHARDS: '2',
    STATE_URL: redis.url,
    HEALTH_PORT: '0',
    REPLY_MODE: 'reply',
    RATE_LIMIT_COUNT: '1000',
    DATA_DIR: data,
    LOG_LEVEL: 'info',
  });
  try {
    await bot.waitForLog((l) => l.event === 'shards_ready', 180_000);
    const ports = await Promise.all([0, 1].map((shard) => bot.waitForLog((l) => l.event === 'health_listening' && l.shard === shard)));
    const before = load();
    progress(`shard burst: ${count} questions at once`);
    const mark = fake.mark();
    const started = performance.now();
    const posted = (n: number) => fake.requests.slice(mark).filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)).length >= n;
    for (let i = 0; i < count; i++) {
      const guildId = i % 2 === 0 ? ids.guild : ids.guild2;
      const channelId = i % 2 === 0 ? ids.channel : ids.channel2;
      fake.sendUserMessage(mentionMessage(questions[i % questions.length]!, { author: user(String(700000000000000000n + BigInt(i)), `burst${i}`), guildId, channelId }));
    }
    await fake.waitForRequest(() => posted(count), mark, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const shardRssMb: Record<string, number> = {};
    for (const line of ports) {
      const metrics = await (await fetch(`http://127.0.0.1:${String(line.port)}/metrics`)).text();
      const rss = /^process_resident_memory_bytes\{[^}]*\} (\d+)/m.exec(metrics);
      shardRssMb[`shard ${String(line.shard)}`] = rss ? Math.round(Number(rss[1]) / 1048576) : -1;
    }
    return { questions: count, seconds: round2(seconds), answersPerSecond: round2(count / seconds), shardRssMb, loadAverage: { before, after: load() } };
  } finally {
    await bot.stop();
    await fake.close();
    await redis.close();
    await fs.rm(data, { recursive: true, force: true });
  }
}

export function formatStateBench(writes: WriteLatency[], burst: ShardBurst): string {
  const ms = (p: Percentiles) => `p50 ${p.p50.toFixed(3)} ms  p95 ${p.p95.toFixed(3)} ms`;
  const lines = [`Machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}`, '', 'State write latency (one call after another)'];
  for (const w of writes) {
    lines.push(`  ${w.backend.padEnd(7)} recordTurn  ${ms(w.recordTurn)}   (n ${w.recordTurn.n}, load ${w.loadAverage})`);
    lines.push(`  ${w.backend.padEnd(7)} save        ${ms(w.save)}`);
  }
  lines.push('', `Burst: ${burst.questions} questions at once, 2 shard processes on Redis (load ${burst.loadAverage.before} → ${burst.loadAverage.after})`);
  lines.push(`  all answered in ${burst.seconds} s: ${burst.answersPerSecond} answers/s`);
  lines.push(`  RSS per shard process: ${Object.entries(burst.shardRssMb).map(([k, v]) => `${k} ${v} MB`).join(', ')}`);
  return lines.join('\n');
}
