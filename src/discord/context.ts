import type { AnswerEngine } from '../answer/engine.ts';
import type { Config } from '../config/config.ts';
import type { BuildSummary } from '../index/types.ts';
import type { Logger } from '../log/logger.ts';
import type { StateStore } from '../state/types.ts';
import type { ConcurrencyLimit } from './fairUse/concurrencyLimit.ts';
import type { WorkTracker } from './lifecycle/workTracker.ts';

/** What the bot needs from the engine: answering, plus rebuilding for /reindex. `LiveAnswerEngine` fits. */
export interface BotEngine extends AnswerEngine {
  rebuild(): Promise<BuildSummary>;
}

/** Everything a handler may use; built once in bot.ts. */
export interface BotContext {
  config: Config;
  engine: BotEngine;
  logger: Logger;
  /** Conversations, button state, feedback and rate-limit windows. */
  store: StateStore;
  answerSlots: ConcurrencyLimit;
  /** Questions being answered, so a shutdown can finish them first. */
  work: WorkTracker;
  /** Set while /reindex runs, so a second one is refused instead of racing the first. */
  reindexing: { running: boolean };
  /** Salted hash of a user id, for logs, feedback and rate limits. */
  hashUser: (userId: string) => string;
}
