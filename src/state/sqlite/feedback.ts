import type { FeedbackRecord, FeedbackState } from '../types.ts';
import type { SqliteContext } from './context.ts';
import type { Db } from './database.ts';
import { recordTable, type Row } from './recordTable.ts';

/** A vote's columns (also used by the import of the JSON files). */
export const voteRow = (v: FeedbackRecord): Row => ({
  time: v.time,
  answer_key: v.answerKey,
  question: v.question,
  chunk_ids: JSON.stringify(v.chunkIds),
  vote: v.vote,
  user_hash: v.userHash,
});

/** 👍/👎 votes, one per user and answer: a later vote replaces the earlier one (INSERT OR REPLACE on that unique index). */
export function sqliteFeedback(db: Db, ctx: SqliteContext, unreadable: () => number): FeedbackState {
  return recordTable(
    db,
    ctx,
    'feedback',
    ['time', 'answer_key', 'question', 'chunk_ids', 'vote', 'user_hash'],
    voteRow,
    (r) => ({
      time: r.time!,
      answerKey: r.answer_key!,
      question: r.question!,
      chunkIds: JSON.parse(r.chunk_ids!) as string[],
      vote: r.vote as 'up' | 'down',
      userHash: r.user_hash!,
    }),
    unreadable,
    { replace: true },
  );
}
