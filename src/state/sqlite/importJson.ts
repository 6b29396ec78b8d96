import type { z } from 'zod';
import type { Logger } from '../../log/logger.ts';
import { conversationsFile, conversationsFileSchema, pendingFile, pendingFileSchema } from '../jsonFileStore.ts';
import { feedbackLog, unansweredLog } from '../jsonLinesLog.ts';
import { readJsonFile } from '../jsonFile.ts';
import { turnColumns } from './conversations.ts';
import type { Db } from './database.ts';
import { voteRow } from './feedback.ts';
import { unansweredRow } from './unanswered.ts';

const IMPORTED = 'json_import';

/**
 * On the first start on SQLite, brings in what the JSON backend kept in DATA_DIR (conversations.json, pending.json,
 * feedback.jsonl, unanswered.jsonl), in one transaction, once per database (recorded in `meta`). The files stay
 * where they are, as a backup. Order is kept: what was least recently used there is pruned first here.
 */
export async function importJsonFiles(db: Db, dataDir: string, logger: Logger): Promise<void> {
  const done = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  if (done.get(IMPORTED)) return;

  const old = (await readOldFile(conversationsFile(dataDir), conversationsFileSchema, logger)) ?? { conversations: [], messages: [], answers: [], moreClaimed: [] };
  const pending = (await readOldFile(pendingFile(dataDir), pendingFileSchema, logger)) ?? [];
  const votes = await feedbackLog(dataDir).read();
  const gaps = await unansweredLog(dataDir).read();

  const touchConversation = db.prepare('INSERT OR REPLACE INTO conversations (id, touched_at) VALUES (?, ?)');
  const addTurn = db.prepare(
    'INSERT OR REPLACE INTO turns (conversation_id, seq, question, searched_for, names) VALUES (@id, @seq, @question, @searchedFor, @names)',
  );
  const link = db.prepare('INSERT OR REPLACE INTO message_links (message_id, conversation_id, touched_at) VALUES (?, ?, ?)');
  const answer = db.prepare('INSERT OR REPLACE INTO answers (key, answer, touched_at, more_claimed) VALUES (?, ?, ?, ?)');
  const addPending = db.prepare('INSERT OR REPLACE INTO pending (key, accepted_at, question) VALUES (?, ?, ?)');
  // Oldest first, so that a user's later vote on an answer replaces the earlier one, as it did in the file.
  const vote = db.prepare(
    'INSERT OR REPLACE INTO feedback (time, answer_key, question, chunk_ids, vote, user_hash) VALUES (@time, @answer_key, @question, @chunk_ids, @vote, @user_hash)',
  );
  const gap = db.prepare(
    'INSERT INTO unanswered (time, question, reason, sections, user_hash, answer_key) VALUES (@time, @question, @reason, @sections, @user_hash, @answer_key)',
  );
  const mark = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  // Oldest first, one millisecond apart, ending now.
  const times = (count: number) => (i: number) => Date.now() - count + i;

  const counts = {
    conversations: old.conversations.length,
    messages: old.messages.length,
    answers: old.answers.length,
    pending: pending.length,
    votes: votes.records.length,
    unanswered: gaps.records.length,
  };
  // Lines of the old files that were not valid records: the reports keep saying so (see `unreadableAtImport`).
  const unreadable = { votes: votes.skipped, unanswered: gaps.skipped };
  const imported = db.transaction(() => {
    // Another process starting at the same time may have imported meanwhile.
    if (done.get(IMPORTED)) return false;
    const conversationTime = times(old.conversations.length);
    old.conversations.forEach(([id, turns], i) => {
      touchConversation.run(id, conversationTime(i));
      turns.forEach((t, seq) => addTurn.run({ id, seq: seq + 1, ...turnColumns(t) }));
    });
    const messageTime = times(old.messages.length);
    old.messages.forEach(([messageId, conversationId], i) => link.run(messageId, conversationId, messageTime(i)));
    const answerTime = times(old.answers.length);
    const claimed = new Set(old.moreClaimed);
    old.answers.forEach(([key, stored], i) => answer.run(key, JSON.stringify(stored), answerTime(i), claimed.has(key) ? 1 : 0));
    for (const p of pending) addPending.run(p.key, p.acceptedAt, JSON.stringify(p));
    for (const v of votes.records) vote.run(voteRow(v));
    for (const g of gaps.records) gap.run(unansweredRow(g));
    mark.run(IMPORTED, JSON.stringify({ at: new Date().toISOString(), from: dataDir, ...counts, unreadable }));
    return true;
  }).immediate();
  if (imported && Object.values(counts).some((n) => n > 0)) {
    logger.info({ event: 'state_imported', ...counts, from: dataDir }, 'imported the old JSON state files into SQLite (the files are kept as a backup)');
  }
}

/** One of the JSON backend's files; undefined when it is missing, or unreadable or damaged (logged: not imported). */
async function readOldFile<T>(file: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, logger: Logger): Promise<T | undefined> {
  const raw = await readJsonFile(file).catch((error: unknown) => {
    logger.warn({ err: error, file }, 'old state file unreadable; not imported');
    return undefined;
  });
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) logger.warn({ file, issue: parsed.error.issues[0] }, 'old state file damaged; not imported');
  return parsed.success ? parsed.data : undefined;
}

/** How many lines of the old votes or unanswered file could not be read when they were imported (0 when none were). */
export function unreadableAtImport(db: Db, kind: 'votes' | 'unanswered'): number {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(IMPORTED);
  const recorded = row ? (JSON.parse(row.value) as { unreadable?: Record<string, number> }).unreadable : undefined;
  return recorded?.[kind] ?? 0;
}
