import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { Turn } from '../answer/types.ts';
import type { Logger } from '../log/logger.ts';
import { readJsonFile, writeJsonFileAtomic } from './jsonFile.ts';
import { feedbackLog, unansweredLog } from './jsonLinesLog.ts';
import { localLocks } from './localLocks.ts';
import { RateLimitWindows } from './rateLimitWindows.ts';
import { storedAnswerSchema, turnSchema } from './records.ts';
import type { StateStore, StoredAnswer } from './types.ts';

/** `conversations.json`: what the SQLite store imports on its first start. */
export const conversationsFileSchema = z.object({
  version: z.literal(1),
  conversations: z.array(z.tuple([z.string(), z.array(turnSchema)])),
  messages: z.array(z.tuple([z.string(), z.string()])),
  answers: z.array(z.tuple([z.string(), storedAnswerSchema])),
});

export const conversationsFile = (dataDir: string) => path.join(dataDir, 'conversations.json');

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
 * Bot state in local files under the data folder: conversations, message links and button state in memory,
 * persisted to `conversations.json` after each change (atomic writes, serialised) and bounded so it never grows
 * without limit; feedback and unanswered questions appended to `feedback.jsonl` and `unanswered.jsonl`; rate-limit
 * windows and locks in memory only. One process only.
 */
export async function openJsonFileStore(dataDir: string, logger: Logger, limits: Partial<StoreLimits> = {}): Promise<StateStore> {
  const bounds = { ...DEFAULT_LIMITS, ...limits };
  const file = conversationsFile(dataDir);
  let conversations = new Map<string, Turn[]>();
  let messages = new Map<string, string>();
  let answers = new Map<string, StoredAnswer>();
  try {
    const raw = await readJsonFile(file);
    if (raw !== undefined) {
      const parsed = conversationsFileSchema.parse(raw);
      conversations = new Map(parsed.conversations);
      messages = new Map(parsed.messages);
      answers = new Map(parsed.answers);
    }
  } catch (error) {
    // A damaged file costs old conversations, not the bot.
    logger.warn({ err: error, file }, 'conversation store unreadable; starting empty');
  }

  let writing: Promise<void> = Promise.resolve();
  let writeQueued = false;
  /**
   * Schedules a write of everything; callers do not wait for it (an answer is not delayed by the file). A failed
   * write is logged. `close()` waits for the last one.
   */
  const persist = (): Promise<void> => {
    // Changes made while a write is queued ride along with it: one snapshot is taken when it starts.
    if (writeQueued) return writing;
    writeQueued = true;
    writing = writing
      .then(() => {
        writeQueued = false;
        return writeJsonFileAtomic(file, { version: 1, conversations: [...conversations], messages: [...messages], answers: [...answers] });
      })
      .catch((error: unknown) => logger.error({ err: error, file }, 'could not save conversations'));
    return writing;
  };
  const rateLimits = new RateLimitWindows();
  const feedback = feedbackLog(dataDir);
  const unanswered = unansweredLog(dataDir);

  return {
    conversations: {
      history: async (id) => [...(conversations.get(id) ?? [])],
      has: async (id) => conversations.has(id),
      recordTurn: async (id, turn, botMessageId) => {
        const all = [...(conversations.get(id) ?? []), turn];
        // slice(-0) would keep everything; HISTORY_TURNS=0 means keep none.
        touch(conversations, id, all.slice(Math.max(0, all.length - bounds.turns)), bounds.conversations);
        if (botMessageId) touch(messages, botMessageId, id, bounds.messages);
        void persist();
      },
      ofMessage: async (messageId) => messages.get(messageId),
      linkMessage: async (botMessageId, id) => {
        touch(messages, botMessageId, id, bounds.messages);
        void persist();
      },
    },
    answers: {
      save: async (answer) => {
        const key = randomBytes(9).toString('base64url');
        touch(answers, key, answer, bounds.answers);
        void persist();
        return key;
      },
      get: async (key) => answers.get(key),
    },
    feedback: {
      record: (vote) => feedback.append(vote),
      all: () => feedback.read(),
    },
    unanswered: {
      record: (entry) => unanswered.append(entry),
      all: () => unanswered.read(),
    },
    rateLimits: {
      take: async (key, rule) => rateLimits.take(key, rule),
    },
    locks: localLocks(),
    backend: { kind: 'json', sharedBy: 'process', where: dataDir },
    ping: async () => undefined,
    close: () => writing,
  };
}
