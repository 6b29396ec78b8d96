import type { Turn } from '../answer/types.ts';

/**
 * What the bot remembers between messages and across restarts, behind one interface with one implementation per
 * backend. Every call is async: a backend may be a file, a database or a server.
 */
export interface StateStore {
  conversations: ConversationState;
  answers: AnswerState;
  feedback: FeedbackState;
  unanswered: UnansweredState;
  rateLimits: RateLimitState;
  pending: PendingState;
  locks: LockState;
  /** Which backend this is and how far it can be shared. */
  backend: BackendInfo;
  /** Resolves when the backend answers (for /healthz); rejects with the reason when it does not. */
  ping(): Promise<void>;
  /** Waits for pending writes and releases the backend. */
  close(): Promise<void>;
}

export interface BackendInfo {
  kind: 'json' | 'sqlite' | 'redis';
  /** 'process': one process only; 'host': processes on one machine; 'network': processes on any machine. */
  sharedBy: 'process' | 'host' | 'network';
  /** For logs: the file or server (without a password). */
  where: string;
}

/** Conversations (the turns of a thread, reply chain or DM) and which bot message belongs to which. */
export interface ConversationState {
  /** The conversation's turns, oldest first (at most HISTORY_TURNS are kept). */
  history(conversationId: string): Promise<Turn[]>;
  has(conversationId: string): Promise<boolean>;
  /**
   * Adds a turn and links the bot's answer message to the conversation. Like every write below, it resolves once the
   * change is durable: a process that dies right after still finds it on the next start.
   */
  recordTurn(conversationId: string, turn: Turn, botMessageId?: string): Promise<void>;
  /** The conversation a message belongs to (replies to it continue that conversation). */
  ofMessage(messageId: string): Promise<string | undefined>;
  /** Links a message (the bot's answer, or the question it answers) to a conversation. */
  linkMessage(messageId: string, conversationId: string): Promise<void>;
}

/** What a button under an answer needs to act after a restart. */
export interface StoredAnswer {
  question: string;
  /** Conversation before this question (what the engine was given). */
  history: Turn[];
  /** Passages skipped before this message (0 for the first answer). */
  skip: number;
  /** Passages shown in this message. */
  shown: number;
  chunkIds: string[];
  conversationId?: string;
  createdAt: number;
  /** Citations of the passages shown ("Great Purge › Victim toll ¶2"), for the gaps report when the answer gets a 👎. */
  sections?: string[];
}

/** Button state: the answers whose buttons may still be pressed. */
export interface AnswerState {
  /** Saves what a button needs; returns the short key that goes into its custom id. */
  save(answer: StoredAnswer): Promise<string>;
  get(key: string): Promise<StoredAnswer | undefined>;
  /**
   * Uses up the answer's "More passages" button: true for the first call only (atomically, across processes), false
   * for a second press of the same button or an unknown key. One press, one page.
   */
  claimMore(key: string): Promise<boolean>;
}

/** One 👍/👎. */
export interface FeedbackRecord {
  time: string;
  /** The answer voted on (its button-state key): one vote per user and answer. */
  answerKey: string;
  question: string;
  chunkIds: string[];
  vote: 'up' | 'down';
  /** Salted hash of the Discord user id; the raw id is never stored. */
  userHash: string;
}

export interface FeedbackState {
  /** Records a vote; it replaces an earlier vote of the same user (`userHash`) on the same answer (`answerKey`). */
  record(vote: FeedbackRecord): Promise<void>;
  /** The votes in force (one per user and answer), oldest first; `skipped` counts stored entries that could not be read. */
  all(): Promise<{ records: FeedbackRecord[]; skipped: number }>;
}

/** A question the bot could not answer well: it abstained, or a user voted 👎 on the answer. */
export interface UnansweredRecord {
  time: string;
  question: string;
  reason: 'abstained' | 'down-vote';
  /** The closest sections (an abstention's suggestions) or the sections quoted (a 👎). */
  sections: string[];
  /** Salted hash of the Discord user id; the raw id is never stored. */
  userHash: string;
  /** For a 👎: the answer voted on, so that the report counts one 👎 per user and answer, as long as it is in force. */
  answerKey?: string;
}

/** What tells the corpus owner what to add. Bounded: the oldest records go first (STATE_MAX_RECORDS). */
export interface UnansweredState {
  record(entry: UnansweredRecord): Promise<void>;
  /** Every record kept, oldest first; `skipped` counts stored entries that could not be read. */
  all(): Promise<{ records: UnansweredRecord[]; skipped: number }>;
}

/** Named locks shared by every process of the store, so that only one of them rebuilds the index. */
export interface LockState {
  /**
   * Runs `task` while holding lock `name`; when another process (or this one) holds it, does not run it and
   * resolves `{ ran: false }`. A holder that dies releases the lock after STATE_TUNING.rebuildLockTtlMs.
   */
  runExclusive<T>(name: string, task: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
}

/**
 * A question the bot accepted and has not answered yet. Written before the answer is computed and removed once it
 * is sent, so that a question the process died on is answered (or apologised for) after the restart.
 */
export type PendingQuestion =
  | {
      kind: 'message';
      /** Unique per question ("message:<message id>"). */
      key: string;
      acceptedAt: number;
      channelId: string;
      /** The server it was asked in (null in a DM): tells which shard answers it after a restart. */
      guildId: string | null;
      /** The message is fetched again after a restart; its text is not stored here. */
      messageId: string;
    }
  | {
      kind: 'interaction';
      key: string;
      acceptedAt: number;
      channelId: string;
      guildId: string | null;
      /** The question as answered (mentions already removed): an interaction cannot be fetched again. */
      question: string;
      userHash: string;
      source: 'slash' | 'message-command';
      conversationId: string;
      /** What a later process needs to finish the deferred reply; Discord accepts the token for 15 minutes. */
      applicationId: string;
      token: string;
      /** For "Ask about this message": the message the answer replies to. */
      replyTo?: { channelId: string; messageId: string };
    };

/**
 * Questions accepted and not yet answered, shared by every process of the store: each process recovers only those
 * of the servers its shard serves (see ownsPending in src/discord/lifecycle/recover.ts).
 */
export interface PendingState {
  /** Remembers a question (replacing one with the same key). */
  add(question: PendingQuestion): Promise<void>;
  remove(key: string): Promise<void>;
  /** Oldest first. */
  list(): Promise<PendingQuestion[]>;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Sliding-window limits per key (a user's salted hash): at most `count` events in any `windowMs`. */
export interface RateLimitState {
  /** Records an event when allowed; otherwise says how long until the next one is. */
  take(key: string, rule: { count: number; windowMs: number }): Promise<RateLimitDecision>;
}
