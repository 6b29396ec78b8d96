import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../errors/appError.ts';

/**
 * Project root, so paths work from any working directory: the nearest folder above this file that holds
 * package.json, the same whether this runs from src/ (tsx, tests) or compiled from dist/src/.
 */
export const PROJECT_ROOT = projectRootAbove(path.dirname(fileURLToPath(import.meta.url)));

function projectRootAbove(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) throw new Error(`No package.json in ${dir} or any folder above it.`);
  }
}

/** Thrown when a setting is missing or invalid; the message names the setting and how to fix it. */
export class ConfigError extends AppError {
  constructor(problem: string, fix: string, missing = false) {
    super(missing ? 'CONFIG_MISSING' : 'CONFIG_INVALID', problem, fix);
  }
}

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const idList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^\d{17,20}$/, 'must be a comma-separated list of Discord channel ids (17–20 digits)')));

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)');

const intIn = (min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be a whole number from ${min} to ${max}`)
    .max(max, `must be a whole number from ${min} to ${max}`);

/** Every environment variable the project reads, with its default. The README's configuration table mirrors this. */
const schema = z.object({
  DISCORD_TOKEN: z.string().trim().optional(),
  DISCORD_APPLICATION_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.string().url('must be a URL such as http://127.0.0.1:8080/api').optional(),
  ASK_CHANNEL_IDS: idList.default(''),
  REPLY_MODE: z.enum(['thread', 'reply']).default('thread'),
  MAX_PASSAGES: intIn(1, 10).default(3),
  HISTORY_TURNS: intIn(0, 20).default(6),
  EMBEDDING_MODEL: z.string().trim().min(1).default('bundled'),
  MODEL_CACHE_DIR: z.string().default('.cache/models'),
  CORPUS_DIR: z.string().default('corpus'),
  INDEX_DIR: z.string().default('index'),
  DATA_DIR: z.string().default('data'),
  WATCH_CORPUS: boolean.default('false'),
  RATE_LIMIT_COUNT: intIn(1, 1000).default(5),
  RATE_LIMIT_WINDOW_SECONDS: intIn(1, 3600).default(30),
  MAX_CONCURRENT_ANSWERS: intIn(1, 64).default(4),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Env = z.infer<typeof schema>;

export interface Config {
  discord: {
    token?: string;
    applicationId?: string;
    guildId?: string;
    apiUrl?: string;
    askChannelIds: string[];
    replyMode: 'thread' | 'reply';
  };
  answers: { maxPassages: number; historyTurns: number };
  embeddingModel: string;
  /** Absolute paths. */
  paths: { modelCache: string; corpus: string; index: string; data: string };
  watchCorpus: boolean;
  fairUse: { rateLimitCount: number; rateLimitWindowMs: number; maxConcurrentAnswers: number };
  logLevel: Env['LOG_LEVEL'];
}

/** Reads and validates the configuration. Empty values count as unset, so `.env.example` can be copied as is. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value.trim();
  }
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'configuration');
    throw new ConfigError(`Setting ${key} is invalid: ${issue.message}`, 'Fix it in .env (see .env.example).');
  }
  const e = parsed.data;
  const abs = (p: string) => path.resolve(PROJECT_ROOT, p);
  return {
    discord: {
      token: e.DISCORD_TOKEN,
      applicationId: e.DISCORD_APPLICATION_ID,
      guildId: e.DISCORD_GUILD_ID,
      apiUrl: e.DISCORD_API_URL?.replace(/\/+$/, ''),
      askChannelIds: e.ASK_CHANNEL_IDS,
      replyMode: e.REPLY_MODE,
    },
    answers: { maxPassages: e.MAX_PASSAGES, historyTurns: e.HISTORY_TURNS },
    embeddingModel: e.EMBEDDING_MODEL,
    paths: { modelCache: abs(e.MODEL_CACHE_DIR), corpus: abs(e.CORPUS_DIR), index: abs(e.INDEX_DIR), data: abs(e.DATA_DIR) },
    watchCorpus: e.WATCH_CORPUS,
    fairUse: {
      rateLimitCount: e.RATE_LIMIT_COUNT,
      rateLimitWindowMs: e.RATE_LIMIT_WINDOW_SECONDS * 1000,
      maxConcurrentAnswers: e.MAX_CONCURRENT_ANSWERS,
    },
    logLevel: e.LOG_LEVEL,
  };
}

/** Discord bot tokens are three dot-separated base64url parts; catching a pasted client secret early saves a confusing login error. */
export function requireDiscordToken(config: Config): string {
  const token = config.discord.token;
  if (!token) throw new ConfigError('DISCORD_TOKEN is not set', 'Put your bot token in .env (Discord Developer Portal › your app › Bot › Reset Token).', true);
  if (!/^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/.test(token)) {
    throw new ConfigError('DISCORD_TOKEN does not look like a bot token (three parts separated by dots)', 'Copy it again from Developer Portal › Bot › Reset Token.');
  }
  return token;
}
