import { normaliseQuestion } from './gapsReport.ts';
import { voteKey } from './records.ts';
import type { FeedbackRecord } from './types.ts';

export interface Tally {
  key: string;
  up: number;
  down: number;
  /** up − down: lower is worse. */
  score: number;
}

export interface FeedbackSummary {
  total: number;
  up: number;
  down: number;
  /** Distinct voters (by hash). */
  voters: number;
  worstQuestions: Tally[];
  worstPassages: Tally[];
}

function tallies(pairs: Array<[string, 'up' | 'down']>): Tally[] {
  const byKey = new Map<string, Tally>();
  for (const [key, vote] of pairs) {
    const t = byKey.get(key) ?? { key, up: 0, down: 0, score: 0 };
    t[vote]++;
    t.score = t.up - t.down;
    byKey.set(key, t);
  }
  return [...byKey.values()];
}

/** Worst first: lowest score, then most down-votes; only entries with at least one down-vote. */
function worst(list: Tally[], limit: number): Tally[] {
  return list
    .filter((t) => t.down > 0)
    .sort((a, b) => a.score - b.score || b.down - a.down || a.key.localeCompare(b.key))
    .slice(0, limit);
}

/**
 * The votes in force: a user's latest vote on each answer (pressing 👍 five times is one vote; 👎 after 👍 changes
 * it), in the order of those latest votes.
 */
export function votesInForce(presses: readonly FeedbackRecord[]): FeedbackRecord[] {
  const latest = new Map<string, FeedbackRecord>();
  for (const press of presses) {
    const key = voteKey(press);
    latest.delete(key);
    latest.set(key, press);
  }
  return [...latest.values()];
}

/** Counts votes, not presses (see votesInForce). */
export function summariseFeedback(presses: readonly FeedbackRecord[], limit = 10): FeedbackSummary {
  const records = votesInForce(presses);
  return {
    total: records.length,
    up: records.filter((r) => r.vote === 'up').length,
    down: records.filter((r) => r.vote === 'down').length,
    voters: new Set(records.map((r) => r.userHash)).size,
    worstQuestions: worst(tallies(records.map((r) => [normaliseQuestion(r.question), r.vote])), limit),
    worstPassages: worst(tallies(records.flatMap((r) => r.chunkIds.map((id): [string, 'up' | 'down'] => [id, r.vote]))), limit),
  };
}

export function formatFeedbackSummary(s: FeedbackSummary): string {
  if (s.total === 0) return 'No votes yet (they are recorded when users press 👍 or 👎 under an answer).';
  const lines = [`${s.total} votes from ${s.voters} users: 👍 ${s.up}  👎 ${s.down}`];
  const table = (title: string, list: Tally[]) => {
    if (list.length === 0) return;
    lines.push('', title);
    for (const t of list) lines.push(`  ${String(t.score).padStart(4)}  (👍 ${t.up} 👎 ${t.down})  ${t.key}`);
  };
  table('Worst-rated questions:', s.worstQuestions);
  table('Worst-rated passages (chunk ids):', s.worstPassages);
  return lines.join('\n');
}
