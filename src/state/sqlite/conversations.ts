import type { Turn } from '../../answer/types.ts';
import type { ConversationState } from '../types.ts';
import type { Db } from './database.ts';
import { everyNth, pruner } from './retention.ts';
import type { SqliteContext } from './context.ts';

export interface TurnRow {
  question: string;
  searched_for: string | null;
  /** JSON array. */
  names: string | null;
}

/** A turn's columns (also used by the import of the JSON files). */
export function turnColumns(turn: Turn): { question: string; searchedFor: string | null; names: string | null } {
  return { question: turn.question, searchedFor: turn.searchedFor ?? null, names: turn.names ? JSON.stringify(turn.names) : null };
}

function turnOfRow(row: TurnRow): Turn {
  return {
    question: row.question,
    ...(row.searched_for === null ? {} : { searchedFor: row.searched_for }),
    ...(row.names === null ? {} : { names: JSON.parse(row.names) as string[] }),
  };
}

/** Conversations with their last turns, and the bot messages that belong to them. */
export function sqliteConversations(db: Db, ctx: SqliteContext): ConversationState {
  const touch = db.prepare('INSERT INTO conversations (id, touched_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET touched_at = excluded.touched_at');
  const addTurn = db.prepare(
    'INSERT INTO turns (conversation_id, seq, question, searched_for, names) VALUES (@id, (SELECT coalesce(max(seq), 0) + 1 FROM turns WHERE conversation_id = @id), @question, @searchedFor, @names)',
  );
  const keepLast = db.prepare('DELETE FROM turns WHERE conversation_id = @id AND seq <= (SELECT max(seq) FROM turns WHERE conversation_id = @id) - @keep');
  const link = db.prepare(
    'INSERT INTO message_links (message_id, conversation_id, touched_at) VALUES (?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET conversation_id = excluded.conversation_id, touched_at = excluded.touched_at',
  );
  const turnsOf = db.prepare<[string], TurnRow>('SELECT question, searched_for, names FROM turns WHERE conversation_id = ? ORDER BY seq');
  const exists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM conversations WHERE id = ?');
  const conversationOf = db.prepare<[string], { conversation_id: string }>('SELECT conversation_id FROM message_links WHERE message_id = ?');

  const { limits, keepMs } = ctx;
  // Turns go with their conversation (ON DELETE CASCADE).
  const pruneConversations = everyNth(ctx.pruneEvery, pruner(db, { table: 'conversations', recency: 'touched_at', keep: limits.conversations, maxAgeMs: keepMs }));
  const pruneLinks = everyNth(ctx.pruneEvery, pruner(db, { table: 'message_links', recency: 'touched_at', keep: limits.messages, maxAgeMs: keepMs }));

  const linkMessage = (botMessageId: string, conversationId: string) => {
    link.run(botMessageId, conversationId, ctx.now());
    pruneLinks();
  };
  const linkOnly = db.transaction(linkMessage);
  const recordTurn = db.transaction((id: string, turn: Turn, botMessageId: string | undefined) => {
    touch.run(id, ctx.now());
    addTurn.run({ id, ...turnColumns(turn) });
    keepLast.run({ id, keep: ctx.turns });
    if (botMessageId) linkMessage(botMessageId, id);
    pruneConversations();
  });

  return {
    history: async (id) => turnsOf.all(id).map(turnOfRow),
    has: async (id) => exists.get(id) !== undefined,
    recordTurn: async (id, turn, botMessageId) => {
      recordTurn.immediate(id, turn, botMessageId);
    },
    ofMessage: async (messageId) => conversationOf.get(messageId)?.conversation_id,
    linkMessage: async (botMessageId, conversationId) => {
      linkOnly.immediate(botMessageId, conversationId);
    },
  };
}
