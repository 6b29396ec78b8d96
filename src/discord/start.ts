/**
 * `npm start`: loads .env, the configuration and the answer engine, then runs the Discord bot until
 * SIGINT/SIGTERM. A start-up failure prints one sentence saying what to fix and exits with 1. With DISCORD_SHARDS
 * it starts the shard manager instead, which runs this same file once per shard.
 */
import type { LiveAnswerEngine } from '../service/liveEngine.ts';
import { loadConfig, requireDiscordToken } from '../config/config.ts';
import { loadEnvFile } from '../config/loadEnv.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { startBot, type RunningBot } from './bot.ts';
import { asStartupError } from './startupErrors.ts';
import { runMain } from '../errors/runMain.ts';
import type { HealthServer } from '../service/health.ts';
import { setShardLabel } from '../service/metrics.ts';
import { openStateStore } from '../state/openStateStore.ts';
import type { StateStore } from '../state/types.ts';
import { botHealthChecks, startBotHealth } from './health.ts';
import { runShardManager, shardOfThisProcess, type RunningShards } from './shards.ts';

let logger: Logger | undefined;
let engine: LiveAnswerEngine | undefined;
let bot: RunningBot | undefined;
let store: StateStore | undefined;
let health: HealthServer | undefined;
let shards: RunningShards | undefined;

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  logger?.info({ signal }, 'shutting down');
  try {
    await shards?.stop();
    await health?.close();
    await bot?.stop();
    await engine?.close();
    // Last: a rebuild finishing during engine.close() still releases its lock in the store.
    await store?.close();
  } catch (error) {
    logger?.error({ err: error }, 'error while shutting down');
  }
  process.exit(0);
}

async function main(): Promise<void> {
  // Registered first, so a Ctrl-C while the model loads also ends cleanly.
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
  loadEnvFile();
  try {
    const config = loadConfig();
    requireDiscordToken(config);
    const shard = shardOfThisProcess();
    logger = shard === undefined ? createLogger(config.logLevel) : createLogger(config.logLevel).child({ shard });
    const log = logger;
    process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
    if (config.shards !== undefined && shard === undefined) {
      shards = await runShardManager(config, log);
      return;
    }
    setShardLabel(shard ?? 0);
    // Before the model: an unreachable store is reported at once.
    store = await openStateStore(config, log);
    const state = store;
    // Imported only now: the model stack takes a moment to load, and a missing token should fail at once.
    const { openLiveEngine } = await import('../service/liveEngine.ts');
    engine = await openLiveEngine(config, log, { rebuildLock: (build) => state.locks.runExclusive('reindex', build) });
    bot = await startBot({ config, engine, logger: log, store });
    health = await startBotHealth(config, shard ?? 0, botHealthChecks(bot.client, engine, store), log);
    engine.onSwap((info) => log.info({ event: 'answering_from_new_index', ...info }, 'now answering from the new index'));
    engine.watchIndex();
    if (config.watchCorpus) engine.watchCorpus();
  } catch (error) {
    logger?.debug({ err: error }, 'start-up failed');
    await shards?.stop().catch(() => undefined);
    await bot?.stop().catch(() => undefined);
    await engine?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    throw asStartupError(error);
  }
}

runMain(main, { exitOnFailure: true });
