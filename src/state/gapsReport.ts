import { voteKey } from './records.ts';
import type { FeedbackRecord, UnansweredRecord } from './types.ts';

/** One question (as normalised) the bot could not answer well, with how often and what was closest. */
export interface Gap {
  question: string;
  count: number;
  abstained: number;
  downVotes: number;
  /** Distinct askers (by hash). */
  users: number;
  /** The sections most often closest, most frequent first (at most three). */
  sections: string[];
}

export const normaliseQuestion = (q: string) => q.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The records that still stand: a user's 👎 on an answer counts once however often it was pressed, and not at all once
 * they changed it to 👍. `votes` are the votes in force (FeedbackState.all).
 */
export function gapsInForce(records: readonly UnansweredRecord[], votes: readonly FeedbackRecord[]): UnansweredRecord[] {
  const inForce = new Map(votes.map((v) => [voteKey(v), v.vote]));
  const counted = new Set<string>();
  return records.filter((r) => {
    if (r.reason !== 'down-vote' || r.answerKey === undefined) return true;
    const key = voteKey({ answerKey: r.answerKey, userHash: r.userHash });
    if (counted.has(key) || inForce.get(key) === 'up') return false;
    counted.add(key);
    return true;
  });
}

/** The most frequent unanswered questions first (then the most askers, then alphabetically), at most `limit`. */
export function summariseGaps(records: readonly UnansweredRecord[], limit = 10): Gap[] {
  const groups = new Map<string, UnansweredRecord[]>();
  for (const r of records) {
    const key = normaliseQuestion(r.question);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([question, list]): Gap => {
      const sectionCounts = new Map<string, number>();
      for (const s of list.flatMap((r) => r.sections)) sectionCounts.set(s, (sectionCounts.get(s) ?? 0) + 1);
      return {
        question,
        count: list.length,
        abstained: list.filter((r) => r.reason === 'abstained').length,
        downVotes: list.filter((r) => r.reason === 'down-vote').length,
        users: new Set(list.map((r) => r.userHash)).size,
        sections: [...sectionCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([s]) => s),
      };
    })
    .sort((a, b) => b.count - a.count || b.users - a.users || a.question.localeCompare(b.question))
    .slice(0, limit);
}

export function formatGaps(gaps: readonly Gap[], total: number): string {
  if (total === 0) return 'No unanswered questions recorded yet (every abstention and every 👎 is recorded).';
  const lines = [`Most frequent unanswered questions (${total} records; abstentions and 👎):`];
  for (const g of gaps) {
    const why = [g.abstained ? `${g.abstained} abstained` : '', g.downVotes ? `${g.downVotes} 👎` : ''].filter(Boolean).join(', ');
    lines.push(`  ${String(g.count).padStart(4)}×  (${why}; ${g.users} user${g.users === 1 ? '' : 's'})  ${g.question}`);
    if (g.sections.length > 0) lines.push(`          closest: ${g.sections.join(' | ')}`);
  }
  return lines.join('\n');
}
