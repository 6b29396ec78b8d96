import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { Turn } from '../answer/types.ts';
import { STATE_TUNING } from '../config/tuning.ts';
import type { Logger } from '../log/logger.ts';
import { prepareDataDir, readJsonFile, writeJsonFileAtomic } from './jsonFile.ts';
import { feedbackLog, unansweredLog } from './jsonLinesLog.ts';
import { votesInForce } from './feedbackSummary.ts';
import { localLocks } from './localLocks.ts';
import { RateLimitWindows } from './rateLimitWindows.ts';
import { pendingQuestionSchema, storedAnswerSchema, turnSchema } from './records.ts';
import type { StateStore, StoredAnswer } from './types.ts';

/** `conversations.json`: what the SQLite store imports on its first start. */
export const conversationsFileSchema = z.object({
  version: z.literal(1),
  conversations: z.array(z.tuple([z.string(), z.array(turnSchema)])),
  messages: z.array(z.tuple([z.string(), z.string()])),
  answers: z.array(z.tuple([z.string(), storedAnswerSchema])),
  /** Answer keys whose "More passages" was pressed. */
  moreClaimed: z.array(z.string()).default([]),
});

export const conversationsFile = (dataDir: string) => path.join(dataDir, 'conversations.json');

/** `pending.json`: the questions accepted and not yet answered. */
export const pendingFileSchema = z.array(pendingQuestionSchema);
export const pendingFile = (dataDir: string) => path.join(dataDir, 'pending.json');

export interface StoreLimits {
  conversations: number;
  messages: number;
  answers: number;
  /** Turns kept per conversation (config.answers.historyTurns). */
  turns: number;
  /** Questions remembered as pending; the oldest are forgotten first. */
  pending: number;
}

const DEFAULT_LIMITS: StoreLimits = { conversations: 2000, messages: 10_000, answers: 5000, turns: 6, pending: STATE_TUNING.pendingMax };

/** Map whose insertion order is recency: touching an entry moves it to the end; the oldest go first. */
function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
}

/**
 * Writes `snapshot()` to `file`, one write at a time. Changes made while a write waits ride along with it (one snapshot
 * is taken when it starts), so `save()` resolves once a write holding every change made before the call is on disk.
 * A failed write is logged.
 */
function fileWriter(file: string, snapshot: () => unknown, logger: Logger): { save(): Promise<void>; idle(): Promise<void> } {
  let writing: Promise<void> = Promise.resolve();
  let queued = false;
  return {
    save() {
      if (queued) return writing;
      queued = true;
      writing = writing
        .then(() => {
          queued = false;
          return writeJsonFileAtomic(file, snapshot());
        })
        .catch((error: unknown) => logger.error({ err: error, file }, 'could not save bot state'));
      return writing;
    },
    idle: () => writing,
  };
}

async function readState<T>(file: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, logger: Logger): Promise<T | undefined> {
  try {
    const raw = await readJsonFile(file);
    return raw === undefined ? undefined : schema.parse(raw);
  } catch (error) {
    // A damaged file costs old conversations, not the bot.
    logger.warn({ err: error, file }, 'conversation store unreadable; starting empty');
    return undefined;
  }
}

/**
 * Bot state in local files under the data folder: conversations, message links and button state in memory,
 * persisted to `conversations.json`, pending questions to `pending.json` (atomic writes, serialised; every change
 * resolves once it is on disk), all bounded so nothing grows without limit; votes and unanswered questions appended
 * to `feedback.jsonl` and `unanswered.jsonl`; rate-limit windows and locks in memory only. One process only.
 */
export async function openJsonFileStore(dataDir: string, logger: Logger, limits: Partial<StoreLimits> = {}): Promise<StateStore> {
  const bounds = { ...DEFAULT_LIMITS, ...limits };
  await prepareDataDir(dataDir);
  const file = conversationsFile(dataDir);
  const parsed = await readState(file, conversationsFileSchema, logger);
  const conversations = new Map<string, Turn[]>(parsed?.conversations);
  const messages = new Map<string, string>(parsed?.messages);
  const answers = new Map<string, StoredAnswer>(parsed?.answers);
  const moreClaimed = new Set((parsed?.moreClaimed ?? []).filter((key) => answers.has(key)));
  const pending = new Map((await readState(pendingFile(dataDir), pendingFileSchema, logger))?.map((p) => [p.key, p]));

  const state = fileWriter(
    file,
    () => ({ version: 1, conversations: [...conversations], messages: [...messages], answers: [...answers], moreClaimed: [...moreClaimed] }),
    logger,
  );
  const pendingState = fileWriter(pendingFile(dataDir), () => [...pending.values()], logger);
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
        await state.save();
      },
      ofMessage: async (messageId) => messages.get(messageId),
      linkMessage: async (messageId, id) => {
        touch(messages, messageId, id, bounds.messages);
        await state.save();
      },
    },
    answers: {
      save: async (answer) => {
        const key = randomBytes(9).toString('base64url');
        touch(answers, key, answer, bounds.answers);
        for (const claimed of moreClaimed) if (!answers.has(claimed)) moreClaimed.delete(claimed);
        await state.save();
        return key;
      },
      get: async (key) => answers.get(key),
      claimMore: async (key) => {
        // Checked and set in one step: no await in between, so two presses at once cannot both win.
        if (!answers.has(key) || moreClaimed.has(key)) return false;
        moreClaimed.add(key);
        await state.save();
        return true;
      },
    },
    feedback: {
      record: (vote) => feedback.append(vote),
      all: async () => {
        const { records, skipped } = await feedback.read();
        return { records: votesInForce(records), skipped };
      },
    },
    unanswered: {
      record: (entry) => unanswered.append(entry),
      all: () => unanswered.read(),
    },
    rateLimits: {
      take: async (key, rule) => rateLimits.take(key, rule),
    },
    pending: {
      add: async (question) => {
        touch(pending, question.key, question, bounds.pending);
        await pendingState.save();
      },
      remove: async (key) => {
        if (!pending.delete(key)) return;
        await pendingState.save();
      },
      list: async () => [...pending.values()].sort((a, b) => a.acceptedAt - b.acceptedAt),
    },
    locks: localLocks(),
    backend: { kind: 'json', sharedBy: 'process', where: dataDir },
    ping: async () => undefined,
    close: async () => {
      await state.idle();
      await pendingState.idle();
    },
  };
}
