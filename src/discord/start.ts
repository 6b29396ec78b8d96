/**
 * `npm start`: loads .env, the configuration and the answer engine, then runs the Discord bot until
 * SIGINT/SIGTERM. A start-up failure prints one sentence saying what to fix and exits with 1.
 */
import type { LiveAnswerEngine } from '../service/liveEngine.ts';
import { loadConfig, requireDiscordToken } from '../config/config.ts';
import { loadEnvFile } from '../config/loadEnv.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { startBot, type RunningBot } from './bot.ts';
import { asStartupError } from './startupErrors.ts';
import { runMain } from '../errors/runMain.ts';

let logger: Logger | undefined;
let engine: LiveAnswerEngine | undefined;
let bot: RunningBot | undefined;

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  logger?.info({ signal }, 'shutting down');
  try {
    await bot?.stop();
    await engine?.close();
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
    logger = createLogger(config.logLevel);
    const log = logger;
    process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
    // Imported only now: the model stack takes a moment to load, and a missing token should fail at once.
    const { openLiveEngine } = await import('../service/liveEngine.ts');
    engine = await openLiveEngine(config, log);
    bot = await startBot({ config, engine, logger: log });
    engine.onSwap((info) => log.info({ event: 'answering_from_new_index', ...info }, 'now answering from the new index'));
    engine.watchIndex();
    if (config.watchCorpus) engine.watchCorpus();
  } catch (error) {
    logger?.debug({ err: error }, 'start-up failed');
    await bot?.stop().catch(() => undefined);
    await engine?.close().catch(() => undefined);
    throw asStartupError(error);
  }
}

runMain(main, { exitOnFailure: true });
