/**
 * The schema of the SQLite state file, as numbered steps. A file records the last step applied in
 * `PRAGMA user_version`; opening it applies the newer steps, each in one transaction. Steps are never edited once
 * released: a change is a new step.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: everything the JSON files held, plus unanswered questions, rate-limit windows, locks and the processes using the file.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE conversations (id TEXT PRIMARY KEY, touched_at INTEGER NOT NULL);
  CREATE INDEX conversations_by_touch ON conversations (touched_at);
  CREATE TABLE turns (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    question TEXT NOT NULL,
    searched_for TEXT,
    PRIMARY KEY (conversation_id, seq)
  );
  CREATE TABLE message_links (message_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, touched_at INTEGER NOT NULL);
  CREATE INDEX message_links_by_touch ON message_links (touched_at);

  CREATE TABLE answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL, touched_at INTEGER NOT NULL);
  CREATE INDEX answers_by_touch ON answers (touched_at);

  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    question TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,
    vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    user_hash TEXT NOT NULL
  );
  CREATE TABLE unanswered (
    id INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    question TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('abstained', 'down-vote')),
    sections TEXT NOT NULL,
    user_hash TEXT NOT NULL
  );

  CREATE TABLE rate_limit_hits (key TEXT NOT NULL, at INTEGER NOT NULL);
  CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (key, at);
  CREATE INDEX rate_limit_hits_by_time ON rate_limit_hits (at);

  CREATE TABLE locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);

  CREATE TABLE processes (host TEXT NOT NULL, pid INTEGER NOT NULL, seen_at INTEGER NOT NULL, PRIMARY KEY (host, pid));
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
