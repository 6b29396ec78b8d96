import type { Redis } from 'ioredis';
import type { Config } from '../../config/config.ts';
import type { Degrader } from './degrade.ts';

/** What every Redis concern needs: the client, the outage handling, and how long keys live. */
export interface RedisContext {
  client: Redis;
  degrade: Degrader;
  /** Conversations, message links and button state expire this long after their last write. */
  keepMs: number;
  limits: Config['state']['limits'];
  /** Turns kept per conversation (HISTORY_TURNS). */
  turns: number;
}
