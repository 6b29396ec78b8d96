/** Shared set-up of the bot end-to-end tests: a fake Discord, a temp data folder, the engine, the real bot. */
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import { Writable } from 'node:stream';
import { openLiveEngine, type LiveAnswerEngine } from '../../src/service/liveEngine.ts';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import { createLogger, type Logger } from '../../src/log/logger.ts';
import { FakeDiscord, type RecordedRequest } from './fakeDiscord.ts';
import { makeTempDir, testIndexDir } from '../helpers/tempProject.ts';
import { ids, user, type JsonObject } from './payloads.ts';

export const FAKE_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

/** The engine every bot test uses: the real one (model + committed index), loaded once per test file. */
export const openTestEngine = (config: Config, logger: Logger): Promise<LiveAnswerEngine> => openLiveEngine(config, logger);

export { makeTempDir, testIndexDir };

/** The project's logger (with its redaction), writing JSON lines the test can read (and check for secrets). */
export function captureLogger(): { logger: Logger; lines: JsonObject[]; raw: string[]; events: EventEmitter } {
  const lines: JsonObject[] = [];
  const raw: string[] = [];
  const events = new EventEmitter();
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        const parsed = JSON.parse(line) as JsonObject;
        lines.push(parsed);
        events.emit('line', parsed);
      }
      done();
    },
  });
  return { logger: createLogger('info', stream), lines, raw, events };
}

/** Tests start several clients in a row; the default identify throttle would make each wait ~5 s. */
export const fastIdentify = { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } };

let userCounter = 0;
/** A fresh user per test, so rate limits of one test do not leak into the next. */
export function newUser(name = 'user'): JsonObject {
  userCounter++;
  return user(String(500000000000000000n + BigInt(userCounter)), `${name}${userCounter}`);
}

/** Text of a message body sent by the bot (channel message, webhook edit, or interaction callback). */
export function contentOf(r: RecordedRequest): string {
  const body = r.body ?? {};
  const data = (body.data as JsonObject | undefined) ?? body;
  return String(data.content ?? '');
}

export function customIdsOf(r: RecordedRequest): string[] {
  const body = r.body ?? {};
  const data = (body.data as JsonObject | undefined) ?? body;
  const rows = (data.components as Array<{ components: Array<{ custom_id?: string }> }> | undefined) ?? [];
  return rows.flatMap((row) => row.components.map((c) => c.custom_id ?? ''));
}

export const isChannelPost = (channelId?: string) => (r: RecordedRequest) =>
  r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && (!channelId || r.path === `/channels/${channelId}/messages`);

export const isOriginalEdit = (token: unknown) => (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/webhooks/${ids.app}/${String(token)}/messages/@original`;

export const isCallback = (interaction: JsonObject) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/interactions/${String(interaction.id)}/${String(interaction.token)}/callback`;

export const isFollowUp = (interaction: JsonObject) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/webhooks/${ids.app}/${String(interaction.token)}`;

export interface Harness {
  fake: FakeDiscord;
  config: Config;
  engine: LiveAnswerEngine;
  bot: RunningBot;
  logs: JsonObject[];
  rawLogs: string[];
  /** Resolves with the first log line (already written or to come) that matches; rejects after 10 s. */
  waitForLog(match: (line: JsonObject) => boolean, timeoutMs?: number): Promise<JsonObject>;
  /** Stops the bot and starts a new one on the same data folder (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  fakeOptions?: { messageContentAllowed?: boolean };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await FakeDiscord.start({ token: FAKE_TOKEN, ...options.fakeOptions });
  const data = await makeTempDir('data');
  const config = loadConfig({
    DISCORD_TOKEN: FAKE_TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DATA_DIR: data,
    INDEX_DIR: testIndexDir(),
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const { logger, lines, raw, events } = captureLogger();
  const engine = await openTestEngine(config, logger);
  const launch = () => startBot({ config, engine, logger, clientOptions: fastIdentify, readyTimeoutMs: 10_000 });
  const harness: Harness = {
    fake,
    config,
    engine,
    bot: await launch(),
    logs: lines,
    rawLogs: raw,
    waitForLog(match, timeoutMs = 10_000) {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onLine = (line: JsonObject) => {
          if (!match(line)) return;
          clearTimeout(timer);
          events.off('line', onLine);
          resolve(line);
        };
        const timer = setTimeout(() => {
          events.off('line', onLine);
          reject(new Error(`no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        events.on('line', onLine);
      });
    },
    async restart() {
      await harness.bot.stop();
      harness.bot = await launch();
    },
    async close() {
      await harness.bot.stop().catch(() => undefined);
      await engine.close();
      await fake.close();
      await fs.rm(data, { recursive: true, force: true });
    },
  };
  return harness;
}
