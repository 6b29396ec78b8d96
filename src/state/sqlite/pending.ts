import { STATE_TUNING } from '../../config/tuning.ts';
import { parseRecords, pendingQuestionSchema } from '../records.ts';
import type { PendingState } from '../types.ts';
import type { SqliteContext } from './context.ts';
import type { Db } from './database.ts';
import { everyNth, pruner } from './retention.ts';

/** Questions accepted and not yet answered, as JSON by key; the oldest beyond STATE_TUNING.pendingMax are forgotten. */
export function sqlitePending(db: Db, ctx: SqliteContext): PendingState {
  const upsert = db.prepare('INSERT OR REPLACE INTO pending (key, accepted_at, question) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM pending WHERE key = ?');
  const select = db.prepare<[], { question: string }>('SELECT question FROM pending ORDER BY accepted_at, rowid');
  const prune = everyNth(ctx.pruneEvery, pruner(db, { table: 'pending', recency: 'accepted_at', keep: STATE_TUNING.pendingMax }));
  const add = db.transaction((key: string, acceptedAt: number, json: string) => {
    upsert.run(key, acceptedAt, json);
    prune();
  });
  return {
    add: async (question) => {
      add.immediate(question.key, question.acceptedAt, JSON.stringify(question));
    },
    remove: async (key) => {
      remove.run(key);
    },
    list: async () => parseRecords(select.all().map((row) => row.question), pendingQuestionSchema).records,
  };
}
