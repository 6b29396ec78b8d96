import { setTimeout as delay } from 'node:timers/promises';
import { Client, Events, Partials, type ClientOptions, type CloseEvent } from 'discord.js';
import { requireDiscordToken, type Config } from '../config/config.ts';
import { BOT_TIMING } from '../config/tuning.ts';
import type { AppError } from '../errors/appError.ts';
import type { Logger } from '../log/logger.ts';
import type { BotContext, BotEngine } from './context.ts';
import { ConcurrencyLimit } from './fairUse/concurrencyLimit.ts';
import { createInteractionHandler } from './handling/interactionCreate.ts';
import { createMessageHandler } from './handling/messageCreate.ts';
import { intentsFor } from './intents.ts';
import { recoverPending } from './lifecycle/recover.ts';
import { WorkTracker } from './lifecycle/workTracker.ts';
import { createUserHasher } from '../state/userHash.ts';
import { openStateStore } from '../state/openStateStore.ts';
import type { StateStore } from '../state/types.ts';
import { StartupError, gatewayClosed } from './startupErrors.ts';
import { NO_MENTIONS } from './util/respond.ts';

export interface StartBotOptions {
  config: Config;
  engine: BotEngine;
  logger: Logger;
  /** Extra client options; tests use it for a fast identify throttler. */
  clientOptions?: Partial<ClientOptions>;
  readyTimeoutMs?: number;
  /** How long stop() waits for answers in flight. */
  shutdownGraceMs?: number;
  /** A state store the caller opened (and closes); without one the bot opens its own and closes it on stop. */
  store?: StateStore;
}

export interface RunningBot {
  client: Client<true>;
  context: BotContext;
  /**
   * Settles with the reason when Discord closes the gateway for good (a close code discord.js does not retry): the
   * bot can hear nothing any more, so the process should end. Pending forever while the connection is fine.
   */
  lost: Promise<AppError>;
  /**
   * Stops taking new questions (they are kept for the next start), lets the answers in flight finish (at most
   * shutdownGraceMs; what is left is answered after the restart), then disconnects and waits for pending writes.
   * The engine is the caller's to close.
   */
  stop(): Promise<void>;
}

const DESTROY_WAIT_MS = 1000;

/**
 * Resolves when the client is ready; rejects on a close code that no retry can fix, or after `timeoutMs`, counted from
 * the start of the login (which itself may keep retrying while the gateway stays silent).
 */
function waitForReady(client: Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      client.off(Events.ClientReady, onReady);
      client.off(Events.ShardDisconnect, onDisconnect);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => settle();
    const onDisconnect = (event: CloseEvent) => settle(gatewayClosed(event.code));
    const timer = setTimeout(
      () =>
        settle(new StartupError('DISCORD_LOGIN_FAILED', `Discord did not confirm the login within ${timeoutMs / 1000} s`, 'Check the connection and try again.')),
      timeoutMs,
    );
    client.once(Events.ClientReady, onReady);
    client.on(Events.ShardDisconnect, onDisconnect);
  });
}

/** Logs in with the configured token and answers questions until stopped. */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config, engine, logger } = options;
  const token = requireDiscordToken(config);
  const store = options.store ?? (await openStateStore(config, logger));
  const context: BotContext = {
    config,
    engine,
    logger,
    store,
    answerSlots: new ConcurrencyLimit(config.fairUse.maxConcurrentAnswers),
    work: new WorkTracker(),
    reindexing: { running: false },
    hashUser: await createUserHasher(config.paths.data),
  };

  const client = new Client({
    intents: intentsFor(config),
    // A DM channel is not cached before its first message; without this partial, DMs never reach the handler.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    // discord.js appends /v10; the gateway URL then comes from that server's GET /gateway/bot.
    rest: config.discord.apiUrl ? { api: config.discord.apiUrl } : {},
    ...options.clientOptions,
  });
  const onMessage = createMessageHandler(context);
  const onInteraction = createInteractionHandler(context);
  // Handlers catch their own errors; this is the last guard so one event can never take the process down.
  const guard = (what: string) => (error: unknown) => logger.error({ err: error }, `unhandled error in ${what} handler`);
  client.on(Events.MessageCreate, (message) => void context.work.track(onMessage(message)).catch(guard('message')));
  client.on(Events.InteractionCreate, (interaction) => void context.work.track(onInteraction(interaction)).catch(guard('interaction')));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardResume, (shardId) => logger.info({ shardId }, 'gateway session resumed'));

  const ready = waitForReady(client, options.readyTimeoutMs ?? BOT_TIMING.readyTimeoutMs);
  try {
    // login() does not return while the gateway stays silent (it keeps identifying): the ready timeout must win.
    await Promise.race([client.login(token), ready]);
    await ready;
  } catch (error) {
    // While a shard waits for READY, discord.js's destroy() can hang (its shard restarts itself): do not wait long.
    await Promise.race([client.destroy().catch(() => undefined), delay(DESTROY_WAIT_MS, undefined, { ref: false })]);
    if (!options.store) await store.close();
    throw error;
  }
  if (!client.isReady()) throw new StartupError('DISCORD_LOGIN_FAILED', 'The Discord client did not become ready', 'Try again.');

  const lost = new Promise<AppError>((resolve) =>
    client.on(Events.ShardDisconnect, (event) => {
      logger.error({ code: event.code }, 'gateway connection closed for good');
      resolve(gatewayClosed(event.code));
    }),
  );

  const stats = engine.stats();
  logger.info(
    { event: 'ready', user: client.user.tag, guilds: client.guilds.cache.size, articles: stats.articles, chunks: stats.chunks, builtAt: stats.builtAt },
    `ready as ${client.user.tag}: ${stats.articles} article(s), ${stats.chunks} chunks, ${client.guilds.cache.size} server(s)`,
  );
  void context.work.track(recoverPending(context, client, onMessage)).catch(guard('recovery'));

  return {
    client,
    context,
    lost,
    stop: async () => {
      const inFlight = context.work.size;
      const finished = await context.work.drain(options.shutdownGraceMs ?? BOT_TIMING.shutdownGraceMs);
      if (!finished) logger.warn({ inFlight: context.work.size }, 'stopped waiting for answers in flight; they are answered after the restart');
      else if (inFlight > 0) logger.info({ answered: inFlight }, 'answers in flight finished');
      await client.destroy();
      if (!options.store) await store.close();
    },
  };
}
