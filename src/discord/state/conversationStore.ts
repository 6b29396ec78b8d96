import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { Turn } from '../../answer/types.ts';
import type { Logger } from '../../log/logger.ts';
import { readJsonFile, writeJsonFileAtomic } from './jsonFile.ts';

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

const turnSchema = z.object({ question: z.string(), searchedFor: z.string().optional(), chunkIds: z.array(z.string()).optional() });
const fileSchema = z.object({
  version: z.literal(1),
  conversations: z.array(z.tuple([z.string(), z.array(turnSchema)])),
  messages: z.array(z.tuple([z.string(), z.string()])),
  answers: z.array(
    z.tuple([
      z.string(),
      z.object({
        question: z.string(),
        history: z.array(turnSchema),
        skip: z.number(),
        shown: z.number(),
        chunkIds: z.array(z.string()),
        conversationId: z.string().optional(),
        createdAt: z.number(),
      }),
    ]),
  ),
});

export interface StoreLimits {
  conversations: number;
  messages: number;
  answers: number;
  /** Turns kept per conversation (config.answers.historyTurns). */
  turns: number;
}

const DEFAULT_LIMITS: StoreLimits = { conversations: 2000, messages: 10_000, answers: 5000, turns: 6 };

/** Map whose insertion order is recency: touching an entry moves it to the end; the oldest go first. */
function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
}

/**
 * Conversations (turns per thread or reply chain), which bot message belongs to which conversation,
 * and the answers buttons point at. Kept in memory, persisted to `conversations.json` under the data
 * folder after each change (atomic writes, serialised), bounded so it never grows without limit.
 */
export class ConversationStore {
  private conversations = new Map<string, Turn[]>();
  private messages = new Map<string, string>();
  private answers = new Map<string, StoredAnswer>();
  private writing: Promise<void> = Promise.resolve();
  private writeQueued = false;
  private readonly limits: StoreLimits;

  private constructor(
    readonly file: string,
    private readonly logger: Logger,
    limits: Partial<StoreLimits>,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  static async open(dataDir: string, logger: Logger, limits: Partial<StoreLimits> = {}): Promise<ConversationStore> {
    const store = new ConversationStore(path.join(dataDir, 'conversations.json'), logger, limits);
    try {
      const raw = await readJsonFile(store.file);
      if (raw !== undefined) {
        const parsed = fileSchema.parse(raw);
        store.conversations = new Map(parsed.conversations);
        store.messages = new Map(parsed.messages);
        store.answers = new Map(parsed.answers);
      }
    } catch (error) {
      // A damaged file costs old conversations, not the bot.
      logger.warn({ err: error, file: store.file }, 'conversation store unreadable; starting empty');
    }
    return store;
  }

  hasConversation(id: string): boolean {
    return this.conversations.has(id);
  }

  history(conversationId: string | undefined): Turn[] {
    return conversationId ? [...(this.conversations.get(conversationId) ?? [])] : [];
  }

  conversationOfMessage(messageId: string): string | undefined {
    return this.messages.get(messageId);
  }

  answer(key: string): StoredAnswer | undefined {
    return this.answers.get(key);
  }

  /** Adds a turn to a conversation and links the bot's answer message to it. */
  recordTurn(conversationId: string, turn: Turn, botMessageId?: string): void {
    const all = [...(this.conversations.get(conversationId) ?? []), turn];
    // slice(-0) would keep everything; HISTORY_TURNS=0 means keep none.
    const turns = all.slice(Math.max(0, all.length - this.limits.turns));
    touch(this.conversations, conversationId, turns, this.limits.conversations);
    if (botMessageId) touch(this.messages, botMessageId, conversationId, this.limits.messages);
    this.persist();
  }

  linkMessage(botMessageId: string, conversationId: string): void {
    touch(this.messages, botMessageId, conversationId, this.limits.messages);
    this.persist();
  }

  /** Saves what a button needs; returns the short key that goes into its custom id. */
  saveAnswer(answer: StoredAnswer): string {
    const key = randomBytes(9).toString('base64url');
    touch(this.answers, key, answer, this.limits.answers);
    this.persist();
    return key;
  }

  /** Resolves when everything recorded so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  private persist(): void {
    // Changes made while a write is queued ride along with it: one snapshot is taken when it starts.
    if (this.writeQueued) return;
    this.writeQueued = true;
    this.writing = this.writing
      .then(() => {
        this.writeQueued = false;
        return writeJsonFileAtomic(this.file, {
          version: 1,
          conversations: [...this.conversations],
          messages: [...this.messages],
          answers: [...this.answers],
        });
      })
      .catch((error: unknown) => this.logger.error({ err: error, file: this.file }, 'could not save conversations'));
  }
}
