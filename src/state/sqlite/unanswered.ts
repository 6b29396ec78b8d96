import type { UnansweredRecord, UnansweredState } from '../types.ts';
import type { SqliteContext } from './context.ts';
import type { Db } from './database.ts';
import { unreadableAtImport } from './importJson.ts';
import { recordTable } from './recordTable.ts';

/** Abstentions and 👎 answers, for the gaps report. */
export function sqliteUnanswered(db: Db, ctx: SqliteContext): UnansweredState {
  return recordTable(
    db,
    ctx,
    'unanswered',
    ['time', 'question', 'reason', 'sections', 'user_hash'],
    (u) => ({ time: u.time, question: u.question, reason: u.reason, sections: JSON.stringify(u.sections), user_hash: u.userHash }),
    (r) => ({ time: r.time!, question: r.question!, reason: r.reason as UnansweredRecord['reason'], sections: JSON.parse(r.sections!) as string[], userHash: r.user_hash! }),
    () => unreadableAtImport(db, 'unanswered'),
  );
}
