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
  /** Adds a turn and links the bot's answer message to the conversation. */
  recordTurn(conversationId: string, turn: Turn, botMessageId?: string): Promise<void>;
  /** The conversation a bot message belongs to (replies to it continue that conversation). */
  ofMessage(messageId: string): Promise<string | undefined>;
  linkMessage(botMessageId: string, conversationId: string): Promise<void>;
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
}

/** One 👍/👎. */
export interface FeedbackRecord {
  time: string;
  question: string;
  chunkIds: string[];
  vote: 'up' | 'down';
  /** Salted hash of the Discord user id; the raw id is never stored. */
  userHash: string;
}

export interface FeedbackState {
  record(vote: FeedbackRecord): Promise<void>;
  /** Every vote, oldest first; `skipped` counts stored entries that could not be read. */
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

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Sliding-window limits per key (a user's salted hash): at most `count` events in any `windowMs`. */
export interface RateLimitState {
  /** Records an event when allowed; otherwise says how long until the next one is. */
  take(key: string, rule: { count: number; windowMs: number }): Promise<RateLimitDecision>;
}
