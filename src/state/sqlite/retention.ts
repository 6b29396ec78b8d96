import type { Db } from './database.ts';

export interface RetentionRule {
  table: string;
  /** Column that orders rows by recency (higher is newer). */
  recency: string;
  /** Most rows kept. */
  keep: number;
  /** Rows whose `recency` is older than this many ms are removed too (the column must then hold epoch ms). */
  maxAgeMs?: number;
}

/**
 * A function that enforces the rule with one DELETE: the newest `keep` rows stay, older ones (and expired ones) go.
 * Table and column names come from this code, never from input.
 */
export function pruner(db: Db, rule: RetentionRule): () => void {
  const { table, recency } = rule;
  const beyond = `rowid IN (SELECT rowid FROM ${table} ORDER BY ${recency} DESC LIMIT -1 OFFSET @keep)`;
  const statement = db.prepare(`DELETE FROM ${table} WHERE ${beyond}${rule.maxAgeMs === undefined ? '' : ` OR ${recency} < @cutoff`}`);
  return () => {
    statement.run(rule.maxAgeMs === undefined ? { keep: rule.keep } : { keep: rule.keep, cutoff: Date.now() - rule.maxAgeMs });
  };
}

/** Calls `prune` on the first call and then on every `every`-th: a bound need not be exact after each write. */
export function everyNth(every: number, prune: () => void): () => void {
  let writes = 0;
  return () => {
    if (writes++ % every === 0) prune();
  };
}
