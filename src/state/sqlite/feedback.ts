import type { FeedbackState } from '../types.ts';
import type { SqliteContext } from './context.ts';
import type { Db } from './database.ts';
import { unreadableAtImport } from './importJson.ts';
import { recordTable } from './recordTable.ts';

/** 👍/👎 votes. */
export function sqliteFeedback(db: Db, ctx: SqliteContext): FeedbackState {
  return recordTable(
    db,
    ctx,
    'feedback',
    ['time', 'question', 'chunk_ids', 'vote', 'user_hash'],
    (v) => ({ time: v.time, question: v.question, chunk_ids: JSON.stringify(v.chunkIds), vote: v.vote, user_hash: v.userHash }),
    (r) => ({ time: r.time!, question: r.question!, chunkIds: JSON.parse(r.chunk_ids!) as string[], vote: r.vote as 'up' | 'down', userHash: r.user_hash! }),
    () => unreadableAtImport(db, 'votes'),
  );
}
