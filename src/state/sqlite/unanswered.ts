import type { UnansweredRecord, UnansweredState } from '../types.ts';
import type { SqliteContext } from './context.ts';
import type { Db } from './database.ts';
import { recordTable, type Row } from './recordTable.ts';

/** An unanswered record's columns (also used by the import of the JSON files). */
export const unansweredRow = (u: UnansweredRecord): Row => ({
  time: u.time,
  question: u.question,
  reason: u.reason,
  sections: JSON.stringify(u.sections),
  user_hash: u.userHash,
  answer_key: u.answerKey ?? null,
});

/** Abstentions and 👎 answers, for the gaps report. */
export function sqliteUnanswered(db: Db, ctx: SqliteContext, unreadable: () => number): UnansweredState {
  return recordTable(
    db,
    ctx,
    'unanswered',
    ['time', 'question', 'reason', 'sections', 'user_hash', 'answer_key'],
    unansweredRow,
    (r) => ({
      time: r.time!,
      question: r.question!,
      reason: r.reason as UnansweredRecord['reason'],
      sections: JSON.parse(r.sections!) as string[],
      userHash: r.user_hash!,
      ...(r.answer_key === null ? {} : { answerKey: r.answer_key! }),
    }),
    unreadable,
  );
}
