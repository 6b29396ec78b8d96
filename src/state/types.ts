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
  pending: PendingState;
  /** Waits for pending writes and releases the backend. */
  close(): Promise<void>;
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
