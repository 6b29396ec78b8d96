import { Client, Events, GatewayCloseCodes, Partials, type ClientOptions, type CloseEvent } from 'discord.js';
import { requireDiscordToken, type Config } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import type { BotContext, BotEngine } from './context.ts';
import { ConcurrencyLimit } from './fairUse/concurrencyLimit.ts';
import { createInteractionHandler } from './handling/interactionCreate.ts';
import { createMessageHandler } from './handling/messageCreate.ts';
import { intentsFor } from './intents.ts';
import { createUserHasher } from '../state/userHash.ts';
import { openStateStore } from '../state/openStateStore.ts';
import type { StateStore } from '../state/types.ts';
import { StartupError, connectionClosed, intentRefused, tokenRejected } from './startupErrors.ts';
import { NO_MENTIONS } from './util/respond.ts';

export interface StartBotOptions {
  config: Config;
  engine: BotEngine;
  logger: Logger;
  /** Extra client options; tests use it for a fast identify throttler. */
  clientOptions?: Partial<ClientOptions>;
  readyTimeoutMs?: number;
  /** A state store the caller opened (and closes); without one the bot opens its own and closes it on stop. */
  store?: StateStore;
}

export interface RunningBot {
  client: Client<true>;
  context: BotContext;
  /** Disconnects and waits for pending writes; the engine is the caller's to close. */
  stop(): Promise<void>;
}

/** Resolves when the client is ready; rejects on a close code that no retry can fix, or after `timeoutMs`. */
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
    const onDisconnect = (event: CloseEvent) => {
      if (event.code === GatewayCloseCodes.DisallowedIntents) settle(intentRefused());
      else if (event.code === GatewayCloseCodes.AuthenticationFailed) settle(tokenRejected());
      else settle(connectionClosed(event.code));
    };
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
  client.on(Events.MessageCreate, (message) => void onMessage(message).catch(guard('message')));
  client.on(Events.InteractionCreate, (interaction) => void onInteraction(interaction).catch(guard('interaction')));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event) => logger.error({ code: event.code }, 'gateway connection closed for good'));
  client.on(Events.ShardResume, (shardId) => logger.info({ shardId }, 'gateway session resumed'));

  const ready = waitForReady(client, options.readyTimeoutMs ?? 30_000);
  ready.catch(() => undefined); // observed below; avoids an unhandled rejection if login fails first
  try {
    await client.login(token);
    await ready;
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw error;
  }
  if (!client.isReady()) throw new StartupError('DISCORD_LOGIN_FAILED', 'The Discord client did not become ready', 'Try again.');

  const stats = engine.stats();
  logger.info(
    { event: 'ready', user: client.user.tag, guilds: client.guilds.cache.size, articles: stats.articles, chunks: stats.chunks, builtAt: stats.builtAt },
    `ready as ${client.user.tag}: ${stats.articles} article(s), ${stats.chunks} chunks, ${client.guilds.cache.size} server(s)`,
  );
  return {
    client,
    context,
    stop: async () => {
      await client.destroy();
      if (!options.store) await store.close();
    },
  };
}
