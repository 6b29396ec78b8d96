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
  // 2: the people a turn's answer named; one vote per user and answer (votes of schema 1 each stay a vote of their
  // own); a "More passages" button used up; the 👎 an unanswered record comes from; questions not yet answered.
  `
  ALTER TABLE turns ADD COLUMN names TEXT;

  ALTER TABLE feedback ADD COLUMN answer_key TEXT;
  UPDATE feedback SET answer_key = 'old-row-' || id;
  CREATE UNIQUE INDEX feedback_one_vote ON feedback (answer_key, user_hash);

  ALTER TABLE answers ADD COLUMN more_claimed INTEGER NOT NULL DEFAULT 0;

  ALTER TABLE unanswered ADD COLUMN answer_key TEXT;

  CREATE TABLE pending (key TEXT PRIMARY KEY, accepted_at INTEGER NOT NULL, question TEXT NOT NULL);
  CREATE INDEX pending_by_time ON pending (accepted_at);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
