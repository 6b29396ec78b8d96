/**
 * `npm start`: loads .env, the configuration and the answer engine, then runs the Discord bot until SIGINT/SIGTERM
 * (answers in flight are finished first) or until Discord closes the connection for good. A failure, at start-up or
 * then, prints one sentence saying what to fix and exits with 1, so a supervisor sees it and can restart. With
 * DISCORD_SHARDS it starts the shard manager instead, which runs this same file once per shard.
 */
import type { LiveAnswerEngine } from '../service/liveEngine.ts';
import { loadConfig, requireDiscordToken } from '../config/config.ts';
import { loadEnvFile } from '../config/loadEnv.ts';
import { describeError } from '../errors/appError.ts';
import { removeBuildLeftovers } from '../index/leftovers.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { startBot, type RunningBot } from './bot.ts';
import { asStartupError } from './startupErrors.ts';
import { runMain } from '../errors/runMain.ts';
import type { HealthServer } from '../service/health.ts';
import { botMetrics, setShardLabel } from '../service/metrics.ts';
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
let stopping = false;

/** Finishes what is in flight, closes everything, and exits; with `failure`, prints its sentence and exits 1. */
async function shutdown(reason: string, failure?: unknown): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger?.info({ reason }, 'shutting down');
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
  if (failure !== undefined) process.stderr.write(`${describeError(failure)}\n`);
  process.exit(failure === undefined ? 0 : 1);
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
    // Before the model: an unusable store is reported at once.
    store = await openStateStore(config, log);
    const state = store;
    await removeBuildLeftovers(config.paths.index);
    // Imported only now: the model stack takes a moment to load, and a missing token should fail at once.
    const { openLiveEngine } = await import('../service/liveEngine.ts');
    engine = await openLiveEngine(config, log, {
      rebuildLock: (build) => state.locks.runExclusive('reindex', build),
      onReindex: (result) => botMetrics.reindexes.inc({ result }),
    });
    bot = await startBot({ config, engine, logger: log, store });
    // Deaf but alive helps no one: when the gateway is gone for good, end the process.
    void bot.lost.then((reason) => shutdown('gateway closed for good', reason));
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
