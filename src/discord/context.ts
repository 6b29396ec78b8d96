import type { AnswerEngine } from '../answer/types.ts';
import type { Config } from '../config/config.ts';
import type { BuildSummary } from '../index/types.ts';
import type { Logger } from '../log/logger.ts';
import type { ConcurrencyLimit } from './fairUse/concurrencyLimit.ts';
import type { RateLimiter } from './fairUse/rateLimiter.ts';
import type { ConversationStore } from './state/conversationStore.ts';

/** What the bot needs from the engine: answering, plus rebuilding for /reindex. `LiveAnswerEngine` fits. */
export interface BotEngine extends AnswerEngine {
  rebuild(): Promise<BuildSummary>;
}

/** Everything a handler may use; built once in bot.ts. */
export interface BotContext {
  config: Config;
  engine: BotEngine;
  logger: Logger;
  store: ConversationStore;
  rateLimiter: RateLimiter;
  answerSlots: ConcurrencyLimit;
  /** Set while /reindex runs, so a second one is refused instead of racing the first. */
  reindexing: { running: boolean };
  /** Salted hash of a user id, for logs and feedback. */
  hashUser: (userId: string) => string;
}
