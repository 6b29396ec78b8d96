import { randomBytes } from 'node:crypto';
import { parseRecords, storedAnswerSchema } from '../records.ts';
import type { AnswerState } from '../types.ts';
import type { SqliteContext } from './context.ts';
import type { Db } from './database.ts';
import { everyNth, pruner } from './retention.ts';

/** Button state: what "More passages" and the votes need, by the short key in the button's custom id. */
export function sqliteAnswers(db: Db, ctx: SqliteContext): AnswerState {
  const insert = db.prepare('INSERT INTO answers (key, answer, touched_at) VALUES (?, ?, ?)');
  const select = db.prepare<[string], { answer: string }>('SELECT answer FROM answers WHERE key = ?');
  // One UPDATE that only a row not yet claimed matches: of two presses at once, in any processes, one changes it.
  const claim = db.prepare('UPDATE answers SET more_claimed = 1 WHERE key = ? AND more_claimed = 0');
  const prune = everyNth(ctx.pruneEvery, pruner(db, { table: 'answers', recency: 'touched_at', keep: ctx.limits.answers, maxAgeMs: ctx.keepMs }));
  const save = db.transaction((key: string, json: string) => {
    insert.run(key, json, ctx.now());
    prune();
  });
  return {
    save: async (answer) => {
      const key = randomBytes(9).toString('base64url');
      save.immediate(key, JSON.stringify(answer));
      return key;
    },
    get: async (key) => {
      const row = select.get(key);
      return row ? parseRecords([row.answer], storedAnswerSchema).records[0] : undefined;
    },
    claimMore: async (key) => claim.run(key).changes === 1,
  };
}
