import type { Turn } from '../answer/types.ts';

/**
 * What the bot remembers between messages and across restarts, behind one interface with one implementation per
 * backend. Every call is async: a backend may be a file, a database or a server.
 */
export interface StateStore {
  conversations: ConversationState;
  answers: AnswerState;
  feedback: FeedbackState;
  rateLimits: RateLimitState;
  /** Waits for pending writes and releases the backend. */
  close(): Promise<void>;
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

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Sliding-window limits per key (a user's salted hash): at most `count` events in any `windowMs`. */
export interface RateLimitState {
  /** Records an event when allowed; otherwise says how long until the next one is. */
  take(key: string, rule: { count: number; windowMs: number }): Promise<RateLimitDecision>;
}
