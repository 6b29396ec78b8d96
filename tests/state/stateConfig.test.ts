/** The state and deployment settings: their forms, one sentence for a wrong one, and each documented. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStateBackend, loadConfig, PROJECT_ROOT, SETTING_NAMES } from '../../src/config/config.ts';

const MINE = ['STATE_URL', 'STATE_KEEP_DAYS', 'STATE_MAX_CONVERSATIONS', 'STATE_MAX_MESSAGES', 'STATE_MAX_ANSWERS', 'STATE_MAX_RECORDS', 'DISCORD_SHARDS', 'HEALTH_PORT'];

const message = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('state and deployment settings', () => {
  it('default to SQLite in DATA_DIR, one process, no health server', () => {
    const config = loadConfig({ DATA_DIR: '/srv/bot-data' });
    expect(config.state.backend).toEqual({ kind: 'sqlite', file: '/srv/bot-data/state.sqlite' });
    expect(config.state.limits).toEqual({ conversations: 2000, messages: 10_000, answers: 5000, records: 100_000 });
    expect(config.state.keepMs).toBe(30 * 86_400_000);
    expect(config.shards).toBeUndefined();
    expect(config.healthPort).toBeUndefined();
  });

  it('read every STATE_URL form, and DISCORD_SHARDS and HEALTH_PORT', () => {
    expect(loadConfig({ STATE_URL: 'sqlite:/var/lib/bot.db' }).state.backend).toEqual({ kind: 'sqlite', file: '/var/lib/bot.db' });
    expect(loadConfig({ STATE_URL: 'sqlite:state/bot.db' }).state.backend).toEqual({ kind: 'sqlite', file: path.join(PROJECT_ROOT, 'state/bot.db') });
    expect(loadConfig({ STATE_URL: 'redis://:pw@10.0.0.5:6379/2' }).state.backend).toEqual({ kind: 'redis', url: 'redis://:pw@10.0.0.5:6379/2' });
    expect(loadConfig({ STATE_URL: 'json', DATA_DIR: '/d' }).state.backend).toEqual({ kind: 'json', dir: '/d' });
    expect(describeStateBackend({ kind: 'redis', url: 'rediss://user:secret@cache:6380' })).toBe('Redis at rediss://***@cache:6380');
    expect(loadConfig({ DISCORD_SHARDS: 'auto' }).shards).toBe('auto');
    expect(loadConfig({ DISCORD_SHARDS: '4' }).shards).toBe(4);
    expect(loadConfig({ HEALTH_PORT: '0' }).healthPort).toBe(0);
  });

  it('say which setting is wrong, in one sentence', () => {
    expect(message({ STATE_URL: 'postgres://db' })).toMatch(/^Setting STATE_URL is invalid: must be empty \(SQLite in DATA_DIR\), sqlite:FILE, redis:\/\/host:port\[\/db\], rediss:\/\/… or json\. Fix it in \.env/);
    expect(message({ DISCORD_SHARDS: 'many' })).toMatch(/^Setting DISCORD_SHARDS is invalid: must be auto or a number of shards from 1 to 1024\./);
    expect(message({ DISCORD_SHARDS: '0' })).toMatch(/^Setting DISCORD_SHARDS is invalid/);
    expect(message({ HEALTH_PORT: '70000' })).toMatch(/^Setting HEALTH_PORT is invalid: must be a whole number from 0 to 65535\./);
    expect(message({ STATE_KEEP_DAYS: '0' })).toMatch(/^Setting STATE_KEEP_DAYS is invalid/);
  });

  it('are in .env.example and in the README configuration table, like every other setting', () => {
    const example = fs.readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(SETTING_NAMES).toEqual(expect.arrayContaining(MINE));
    for (const key of SETTING_NAMES) {
      expect(example, key).toMatch(new RegExp(`^${key}=`, 'm'));
      expect(readme, key).toContain(`\`${key}\``);
    }
  });
});
