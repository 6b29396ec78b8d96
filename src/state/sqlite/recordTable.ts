import type { SqliteContext } from './context.ts';
import type { Db } from './database.ts';
import { everyNth, pruner } from './retention.ts';

export type Row = Record<string, string | null>;

/**
 * A table of records (votes, unanswered questions): one row per record, the newest STATE_MAX_RECORDS kept, oldest
 * first. `toRow` gives the values of `columns`; `fromRow` reads a row back. With `replace`, a record that matches a
 * row on a unique index replaces it and counts as the newest. Names come from this code, never from input.
 */
export function recordTable<T>(
  db: Db,
  ctx: SqliteContext,
  table: string,
  columns: readonly string[],
  toRow: (record: T) => Row,
  fromRow: (row: Row) => T,
  /** Stored entries that could not be read (lines of the imported JSON files). */
  skipped: () => number,
  { replace = false } = {},
) {
  const insert = db.prepare(`INSERT${replace ? ' OR REPLACE' : ''} INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  const select = db.prepare<[], Row>(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY id`);
  const prune = everyNth(ctx.pruneEvery, pruner(db, { table, recency: 'id', keep: ctx.limits.records }));
  const record = db.transaction((row: Row) => {
    insert.run(row);
    prune();
  });
  return {
    record: async (entry: T): Promise<void> => {
      record.immediate(toRow(entry));
    },
    all: async (): Promise<{ records: T[]; skipped: number }> => ({ records: select.all().map(fromRow), skipped: skipped() }),
  };
}
