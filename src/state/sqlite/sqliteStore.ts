import type { Config } from '../../config/config.ts';
import { STATE_TUNING } from '../../config/tuning.ts';
import type { Logger } from '../../log/logger.ts';
import type { StateStore } from '../types.ts';
import { sqliteAnswers } from './answers.ts';
import type { SqliteContext } from './context.ts';
import { sqliteConversations } from './conversations.ts';
import { createClock, openDatabase } from './database.ts';
import { sqliteFeedback } from './feedback.ts';
import { importJsonFiles, unreadableAtImport } from './importJson.ts';
import { sqliteLocks } from './locks.ts';
import { sqlitePending } from './pending.ts';
import { registerProcess } from './processes.ts';
import { sqliteRateLimits } from './rateLimits.ts';
import { sqliteUnanswered } from './unanswered.ts';

export interface SqliteStoreOptions {
  file: string;
  /** Where the JSON backend kept its files (imported once). */
  dataDir: string;
  limits: Config['state']['limits'];
  keepMs: number;
  turns: number;
  pruneEvery?: number;
  /** This machine's name (tests pretend to be another host). */
  host?: string;
}

/**
 * Bot state in one SQLite file (better-sqlite3, WAL): each concern in its own table and file, each change one
 * transaction. Several processes on one host may share the file; a process on another host is refused.
 */
export async function openSqliteStore(options: SqliteStoreOptions, logger: Logger): Promise<StateStore> {
  const db = await openDatabase(options.file);
  let unregister: (() => void) | undefined;
  try {
    unregister = registerProcess(db, options.file, options.host);
    await importJsonFiles(db, options.dataDir, logger);
  } catch (error) {
    unregister?.();
    db.close();
    throw error;
  }
  const leave = unregister;
  const ctx: SqliteContext = {
    limits: options.limits,
    keepMs: options.keepMs,
    turns: options.turns,
    pruneEvery: options.pruneEvery ?? STATE_TUNING.pruneEveryWrites,
    now: createClock(),
  };
  const ping = db.prepare('SELECT 1');
  return {
    conversations: sqliteConversations(db, ctx),
    answers: sqliteAnswers(db, ctx),
    // Lines of the old JSON files that could not be read at the import: the reports keep saying so.
    feedback: sqliteFeedback(db, ctx, () => unreadableAtImport(db, 'votes')),
    unanswered: sqliteUnanswered(db, ctx, () => unreadableAtImport(db, 'unanswered')),
    rateLimits: sqliteRateLimits(db, ctx),
    pending: sqlitePending(db, ctx),
    locks: sqliteLocks(db),
    backend: { kind: 'sqlite', sharedBy: 'host', where: options.file },
    ping: async () => {
      ping.get();
    },
    close: async () => {
      if (!db.open) return;
      leave();
      db.close();
    },
  };
}
