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

/** Where the bot keeps its state: an SQLite file (default), a Redis server, or the old JSON files. */
export type StateBackend = { kind: 'sqlite'; file: string } | { kind: 'redis'; url: string } | { kind: 'json'; dir: string };

const STATE_URL_FORMS = 'must be empty (SQLite in DATA_DIR), sqlite:FILE, redis://host:port[/db], rediss://… or json';
const stateUrl = z
  .string()
  .refine((v) => v === 'json' || v === 'sqlite' || /^sqlite:.+/.test(v) || /^rediss?:\/\/[^/\s]+/.test(v), STATE_URL_FORMS);

const shardCount = z
  .string()
  .regex(/^(auto|\d{1,4})$/, 'must be auto or a number of shards from 1 to 1024')
  .transform((v) => (v === 'auto' ? 'auto' : Number(v)))
  .refine((v) => v === 'auto' || (v >= 1 && v <= 1024), 'must be auto or a number of shards from 1 to 1024');

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
  STATE_URL: stateUrl.optional(),
  STATE_KEEP_DAYS: intIn(1, 3650).default(30),
  STATE_MAX_CONVERSATIONS: intIn(10, 10_000_000).default(2000),
  STATE_MAX_MESSAGES: intIn(10, 10_000_000).default(10_000),
  STATE_MAX_ANSWERS: intIn(10, 10_000_000).default(5000),
  STATE_MAX_RECORDS: intIn(10, 10_000_000).default(100_000),
  DISCORD_SHARDS: shardCount.optional(),
  HEALTH_PORT: intIn(0, 65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Env = z.infer<typeof schema>;

/** The names of every setting, for the test that keeps `.env.example` and the README's table complete. */
export const SETTING_NAMES = Object.keys(schema.shape) as ReadonlyArray<keyof Env>;

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
  state: {
    backend: StateBackend;
    /** Conversations, message links and button state not written for this long are forgotten. */
    keepMs: number;
    /** Most entries kept of each kind (SQLite and JSON; Redis lets keys expire after `keepMs`). */
    limits: { conversations: number; messages: number; answers: number; records: number };
  };
  /** Unset: one bot process, no shard manager. */
  shards?: 'auto' | number;
  /** Port of /healthz and /metrics on 127.0.0.1 (0: any free port, logged); unset: no server. */
  healthPort?: number;
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
    state: {
      backend: stateBackend(e.STATE_URL, abs(e.DATA_DIR), abs),
      keepMs: e.STATE_KEEP_DAYS * 86_400_000,
      limits: { conversations: e.STATE_MAX_CONVERSATIONS, messages: e.STATE_MAX_MESSAGES, answers: e.STATE_MAX_ANSWERS, records: e.STATE_MAX_RECORDS },
    },
    shards: e.DISCORD_SHARDS,
    healthPort: e.HEALTH_PORT,
    logLevel: e.LOG_LEVEL,
  };
}

function stateBackend(url: string | undefined, dataDir: string, abs: (p: string) => string): StateBackend {
  if (url === undefined || url === 'sqlite') return { kind: 'sqlite', file: path.join(dataDir, 'state.sqlite') };
  if (url === 'json') return { kind: 'json', dir: dataDir };
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', file: abs(url.slice('sqlite:'.length)) };
  return { kind: 'redis', url };
}

/** STATE_URL as it may be shown in logs and errors: a Redis password is replaced by ***. */
export function describeStateBackend(backend: StateBackend): string {
  if (backend.kind === 'sqlite') return `SQLite file ${backend.file}`;
  if (backend.kind === 'json') return `JSON files in ${backend.dir}`;
  return `Redis at ${backend.url.replace(/\/\/([^@/]*)@/, '//***@')}`;
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
