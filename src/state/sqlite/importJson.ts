import type { Logger } from '../../log/logger.ts';
import { conversationsFile, conversationsFileSchema } from '../jsonFileStore.ts';
import { feedbackLog, unansweredLog } from '../jsonLinesLog.ts';
import { readJsonFile } from '../jsonFile.ts';
import type { Db } from './database.ts';

const IMPORTED = 'json_import';

/**
 * On the first start on SQLite, brings in what the JSON backend kept in DATA_DIR (conversations.json,
 * feedback.jsonl, unanswered.jsonl), in one transaction, once per database (recorded in `meta`). The files stay
 * where they are, as a backup. Order is kept: what was least recently used there is pruned first here.
 */
export async function importJsonFiles(db: Db, dataDir: string, logger: Logger): Promise<void> {
  const done = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  if (done.get(IMPORTED)) return;

  const file = conversationsFile(dataDir);
  const raw = await readJsonFile(file).catch((error: unknown) => {
    logger.warn({ err: error, file }, 'old conversation file unreadable; not imported');
    return undefined;
  });
  const parsed = raw === undefined ? undefined : conversationsFileSchema.safeParse(raw);
  if (parsed && !parsed.success) logger.warn({ file, issue: parsed.error.issues[0] }, 'old conversation file damaged; not imported');
  const old = parsed?.success ? parsed.data : { conversations: [], messages: [], answers: [] };
  const votes = await feedbackLog(dataDir).read();
  const gaps = await unansweredLog(dataDir).read();

  const touchConversation = db.prepare('INSERT OR REPLACE INTO conversations (id, touched_at) VALUES (?, ?)');
  const addTurn = db.prepare('INSERT OR REPLACE INTO turns (conversation_id, seq, question, searched_for) VALUES (?, ?, ?, ?)');
  const link = db.prepare('INSERT OR REPLACE INTO message_links (message_id, conversation_id, touched_at) VALUES (?, ?, ?)');
  const answer = db.prepare('INSERT OR REPLACE INTO answers (key, answer, touched_at) VALUES (?, ?, ?)');
  const vote = db.prepare('INSERT INTO feedback (time, question, chunk_ids, vote, user_hash) VALUES (?, ?, ?, ?, ?)');
  const gap = db.prepare('INSERT INTO unanswered (time, question, reason, sections, user_hash) VALUES (?, ?, ?, ?, ?)');
  const mark = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  // Oldest first, one millisecond apart, ending now.
  const times = (count: number) => (i: number) => Date.now() - count + i;

  const counts = { conversations: old.conversations.length, messages: old.messages.length, answers: old.answers.length, votes: votes.records.length, unanswered: gaps.records.length };
  // Lines of the old files that were not valid records: the reports keep saying so (see `unreadableAtImport`).
  const unreadable = { votes: votes.skipped, unanswered: gaps.skipped };
  const imported = db.transaction(() => {
    // Another process starting at the same time may have imported meanwhile.
    if (done.get(IMPORTED)) return false;
    const conversationTime = times(old.conversations.length);
    old.conversations.forEach(([id, turns], i) => {
      touchConversation.run(id, conversationTime(i));
      turns.forEach((t, seq) => addTurn.run(id, seq + 1, t.question, t.searchedFor ?? null));
    });
    const messageTime = times(old.messages.length);
    old.messages.forEach(([messageId, conversationId], i) => link.run(messageId, conversationId, messageTime(i)));
    const answerTime = times(old.answers.length);
    old.answers.forEach(([key, stored], i) => answer.run(key, JSON.stringify(stored), answerTime(i)));
    for (const v of votes.records) vote.run(v.time, v.question, JSON.stringify(v.chunkIds), v.vote, v.userHash);
    for (const g of gaps.records) gap.run(g.time, g.question, g.reason, JSON.stringify(g.sections), g.userHash);
    mark.run(IMPORTED, JSON.stringify({ at: new Date().toISOString(), from: dataDir, ...counts, unreadable }));
    return true;
  }).immediate();
  if (imported && Object.values(counts).some((n) => n > 0)) {
    logger.info({ event: 'state_imported', ...counts, from: dataDir }, 'imported the old JSON state files into SQLite (the files are kept as a backup)');
  }
}

/** How many lines of the old votes or unanswered file could not be read when they were imported (0 when none were). */
export function unreadableAtImport(db: Db, kind: 'votes' | 'unanswered'): number {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(IMPORTED);
  const recorded = row ? (JSON.parse(row.value) as { unreadable?: Record<string, number> }).unreadable : undefined;
  return recorded?.[kind] ?? 0;
}
