/**
 * Start-up and set-up paths: clear one-sentence errors (missing, malformed or rejected token, refused intent),
 * the intents the bot asks for, and registering the slash commands.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { startBot } from '../../src/discord/bot.ts';
import type { LiveAnswerEngine } from '../../src/service/liveEngine.ts';
import { deployCommands } from '../../src/discord/deployCommands.ts';
import { commands, messageCommands, slashCommands } from '../../src/discord/interactions/index.ts';
import { asStartupError, INTENT_REFUSED, TOKEN_REJECTED } from '../../src/discord/startupErrors.ts';
import { FakeDiscord } from './fakeDiscord.ts';
import { captureLogger, contentOf, FAKE_TOKEN, fastIdentify, isChannelPost, makeTempDir, newUser, openTestEngine, testIndexDir } from './harness.ts';
import { startBotProcess } from '../helpers/botProcess.ts';
import { runNode } from '../helpers/runNode.ts';
import { ids, mentionMessage, userMessage } from './payloads.ts';

const OTHER_TOKEN = 'OTk5OTk5OTk5OTk5OTk5OTk5.ZzZzZz.zyxwvutsrqponmlkjihgfedcba9876543210ZY';

/** Runs a script (node with tsx's loader, killed after a minute); resolves with its exit code and output. */
async function runScript(script: string, env: Record<string, string>) {
  const { status, stdout, stderr } = await runNode([script], { env });
  return { code: status, stdout, stderr };
}

let fake: FakeDiscord;
let engine: LiveAnswerEngine;
let dataDir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start({ token: FAKE_TOKEN, messageContentAllowed: false });
  dataDir = await makeTempDir('startup');
  engine = await openTestEngine(loadConfig({ DATA_DIR: dataDir, INDEX_DIR: testIndexDir() }), captureLogger().logger);
});
afterAll(async () => {
  await engine?.close();
  await fake?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

const configWith = (env: Record<string, string>) =>
  loadConfig({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, INDEX_DIR: testIndexDir(), LOG_LEVEL: 'silent', ...env });

describe('start-up errors', () => {
  it('a token Discord rejects (401) gives one sentence naming DISCORD_TOKEN', async () => {
    const config = configWith({ DISCORD_TOKEN: OTHER_TOKEN });
    const error = await startBot({ config, engine, logger: captureLogger().logger, clientOptions: fastIdentify }).catch((e: unknown) => e);
    expect(asStartupError(error).message).toBe(TOKEN_REJECTED);
    expect(TOKEN_REJECTED).toMatch(/^Discord rejected DISCORD_TOKEN/);
  });

  it('a refused Message Content intent says which switch or setting fixes it', async () => {
    const config = configWith({ REPLY_MODE: 'thread' });
    const error = await startBot({ config, engine, logger: captureLogger().logger, clientOptions: fastIdentify }).catch((e: unknown) => e);
    expect(asStartupError(error).message).toBe(INTENT_REFUSED);
  });

  it('gives up with one sentence when READY never comes, even while the login itself keeps retrying', async () => {
    const silent = await FakeDiscord.start({ token: FAKE_TOKEN });
    silent.withholdReady = true;
    try {
      const config = loadConfig({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: silent.apiUrl, DATA_DIR: dataDir, INDEX_DIR: testIndexDir(), LOG_LEVEL: 'silent' });
      const error = await startBot({ config, engine, logger: captureLogger().logger, clientOptions: fastIdentify, readyTimeoutMs: 2000 }).catch((e: unknown) => e);
      expect(asStartupError(error).message).toMatch(/^Discord did not confirm the login within 2 s\./);
      expect(silent.identifies.length).toBeGreaterThan(0);
    } finally {
      await silent.close();
    }
  });

  it('npm start with an unusable DATA_DIR exits 1 with one sentence naming DATA_DIR', async () => {
    const file = path.join(dataDir, 'not-a-folder');
    await fs.writeFile(file, '');
    const result = await runScript('src/discord/start.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: path.join(file, 'data'), INDEX_DIR: testIndexDir(), LOG_LEVEL: 'silent' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^DATA_DIR \(.*not-a-folder.data\) is not a folder the bot can write to \(ENOTDIR\)\./);
  });

  it('npm start without DISCORD_TOKEN exits 1 with one sentence and no stack trace', async () => {
    const result = await runScript('src/discord/start.ts', { DISCORD_TOKEN: '', DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^DISCORD_TOKEN is not set/);
  });

  it('npm start with a malformed DISCORD_TOKEN exits 1 with one sentence', async () => {
    const result = await runScript('src/discord/start.ts', { DISCORD_TOKEN: 'not-a-token', DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^DISCORD_TOKEN does not look like a bot token[^\n]*$/);
  });
});

describe('npm start', () => {
  const env = () => ({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DATA_DIR: dataDir, INDEX_DIR: testIndexDir(), REPLY_MODE: 'reply', ASK_CHANNEL_IDS: '', LOG_LEVEL: 'info' });

  it('loads the engine, logs in, logs that it is ready, and exits 0 on SIGTERM', async () => {
    const p = startBotProcess(env());
    try {
      await p.waitForOutput(/"event":"ready"/);
      const ready = p.stderr().split('\n').find((l) => l.includes('"event":"ready"'))!;
      expect(JSON.parse(ready)).toMatchObject({ guilds: 1, articles: 1 });
      expect(p.stderr()).not.toContain(FAKE_TOKEN);
      p.child.kill('SIGTERM');
      expect(await p.exited()).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('stops with one sentence when Discord rejects the token', async () => {
    const p = startBotProcess({ ...env(), DISCORD_TOKEN: OTHER_TOKEN });
    expect(await p.exited()).toBe(1);
    expect(p.sentences()).toEqual([TOKEN_REJECTED]);
  });

  it('stops with one sentence naming the command when there is no index', async () => {
    const emptyIndex = await makeTempDir('no-index');
    const p = startBotProcess({ ...env(), INDEX_DIR: emptyIndex });
    expect(await p.exited()).toBe(1);
    expect(p.sentences()).toHaveLength(1);
    expect(p.sentences()[0]).toMatch(/index.*npm run build-index/i);
    await fs.rm(emptyIndex, { recursive: true, force: true });
  });
});

describe('without the Message Content intent (REPLY_MODE=reply, no ASK_CHANNEL_IDS)', () => {
  it('does not ask for it, answers mentions inline, and ignores unmentioned messages', async () => {
    const config = configWith({ REPLY_MODE: 'reply' });
    const bot = await startBot({ config, engine, logger: captureLogger().logger, clientOptions: fastIdentify });
    try {
      expect(Number(fake.identifies.at(-1)?.intents) & (1 << 15)).toBe(0);
      const mark = fake.mark();
      // Discord blanks this one (no intent, no mention); then a mention, which arrives with its text.
      fake.sendUserMessage(userMessage({ content: 'Who headed the NKVD?', author: newUser() }));
      const question = mentionMessage('Who headed the NKVD at the height of the purge?', { author: newUser() });
      fake.sendUserMessage(question);
      const reply = await fake.waitForRequest(isChannelPost(ids.channel), mark);
      expect(reply.body?.message_reference).toMatchObject({ message_id: question.id });
      expect(contentOf(reply)).toContain('Yezhov');
      expect(fake.requests.slice(mark).filter(isChannelPost())).toHaveLength(1);
    } finally {
      await bot.stop();
    }
  });
});

describe('deploy-commands', () => {
  it('registers the commands to DISCORD_GUILD_ID, fetching the application id when not set', async () => {
    const mark = fake.mark();
    const result = await deployCommands(configWith({ DISCORD_GUILD_ID: ids.guild }));
    expect(result).toEqual({ applicationId: ids.app, scope: 'guild', names: ['/ask', '/lookup', '/sections', '/reindex', '"Ask about this message" (message menu)'] });
    const calls = fake.requests.slice(mark);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /applications/@me', `PUT /applications/${ids.app}/guilds/${ids.guild}/commands`]);
    expect(calls[1]?.body).toEqual(commands);
  });

  it('npm run deploy-commands registers globally when no server is set', async () => {
    const mark = fake.mark();
    const result = await runScript('scripts/deploy-commands.ts', { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: ids.app, DISCORD_GUILD_ID: '' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Registered \/ask, \/lookup, \/sections, \/reindex, "Ask about this message" \(message menu\) for application \d+ in all servers/);
    expect(fake.requests.slice(mark).map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /applications/${ids.app}/commands`]);
  });

  it('npm run feedback summarises the votes', async () => {
    const dir = await makeTempDir('feedback');
    const vote = (v: string, q: string) => JSON.stringify({ time: new Date().toISOString(), question: q, chunkIds: ['c1'], vote: v, userHash: 'h' });
    await fs.writeFile(path.join(dir, 'feedback.jsonl'), [vote('up', 'Who was Beria?'), vote('down', 'Who was Yezhov?'), 'not json'].join('\n'));
    const result = await runScript('scripts/feedback.ts', { DATA_DIR: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 votes from 1 users: 👍 1  👎 1');
    expect(result.stdout).toMatch(/Worst-rated questions:\n\s+-1 .*who was yezhov\?/);
    expect(result.stdout).toContain('1 unreadable line(s) skipped');
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('command definitions respect Discord limits', () => {
    for (const c of slashCommands as RESTPostAPIChatInputApplicationCommandsJSONBody[]) {
      expect(c.name).toMatch(/^[a-z-]{1,32}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      for (const o of c.options ?? []) expect(o.description.length).toBeLessThanOrEqual(100);
    }
    // Message commands are named as the menu shows them: 1–32 characters, spaces and capitals allowed.
    for (const c of messageCommands) {
      expect(c.name.length).toBeLessThanOrEqual(32);
      expect(c.type).toBe(3);
    }
  });
});
