import type { Config } from '../../config/config.ts';

/** What every SQLite concern needs besides the database: limits and a clock. */
export interface SqliteContext {
  limits: Config['state']['limits'];
  keepMs: number;
  /** Turns kept per conversation (HISTORY_TURNS). */
  turns: number;
  /** Retention is enforced every this many writes of a kind. */
  pruneEvery: number;
  now: () => number;
}
