import { z } from 'zod';
import type { Turn } from '../answer/types.ts';
import type { FeedbackRecord, PendingQuestion, StoredAnswer, UnansweredRecord } from './types.ts';

/**
 * The shapes of stored records, checked wherever they are read back (a JSON line, an SQLite row, a Redis value).
 * zod drops keys a schema does not name: a field added to Turn must be added here too, or every backend loses it
 * (tests/state/contract.test.ts stores a Turn with every field).
 */
export const turnSchema = z.object({
  question: z.string(),
  searchedFor: z.string().optional(),
  names: z.array(z.string()).optional(),
}) satisfies z.ZodType<Turn>;

export const storedAnswerSchema = z.object({
  question: z.string(),
  history: z.array(turnSchema),
  skip: z.number(),
  shown: z.number(),
  chunkIds: z.array(z.string()),
  conversationId: z.string().optional(),
  createdAt: z.number(),
  sections: z.array(z.string()).optional(),
}) satisfies z.ZodType<StoredAnswer>;

/** A vote as stored; votes recorded before votes were tied to answers have no answer key. */
const storedVoteSchema = z.object({
  time: z.string(),
  answerKey: z.string().optional(),
  question: z.string(),
  chunkIds: z.array(z.string()),
  vote: z.enum(['up', 'down']),
  userHash: z.string(),
}) satisfies z.ZodType<Omit<FeedbackRecord, 'answerKey'>>;

/** What makes a vote one user's on one answer: a later vote with the same key replaces it. */
export const voteKey = (vote: { answerKey: string; userHash: string }): string => `${vote.answerKey}\u0000${vote.userHash}`;

export const feedbackRecordSchema = storedVoteSchema.required({ answerKey: true }) satisfies z.ZodType<FeedbackRecord>;

/**
 * Reads votes that may predate answer keys: each vote without one counts as a vote of its own (it gets a key of its
 * own, `old-<n>`, which no answer key can be).
 */
export function parseVotes(texts: Iterable<string>): { records: FeedbackRecord[]; skipped: number } {
  const { records, skipped } = parseRecords(texts, storedVoteSchema);
  return { records: records.map((r, i) => ({ ...r, answerKey: r.answerKey ?? `old-${i + 1}` })), skipped };
}

export const unansweredRecordSchema = z.object({
  time: z.string(),
  question: z.string(),
  reason: z.enum(['abstained', 'down-vote']),
  sections: z.array(z.string()),
  userHash: z.string(),
  answerKey: z.string().optional(),
}) satisfies z.ZodType<UnansweredRecord>;

export const pendingQuestionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('message'),
    key: z.string(),
    acceptedAt: z.number(),
    channelId: z.string(),
    // Questions written before shards had none; they go to the first shard (see ownsPending).
    guildId: z.string().nullable().default(null),
    messageId: z.string(),
  }),
  z.object({
    kind: z.literal('interaction'),
    key: z.string(),
    acceptedAt: z.number(),
    channelId: z.string(),
    guildId: z.string().nullable(),
    question: z.string(),
    userHash: z.string(),
    source: z.enum(['slash', 'message-command']),
    conversationId: z.string(),
    applicationId: z.string(),
    token: z.string(),
    replyTo: z.object({ channelId: z.string(), messageId: z.string() }).optional(),
  }),
]) satisfies z.ZodType<PendingQuestion, z.ZodTypeDef, unknown>;

/** Parses JSON texts with a schema, counting (not throwing on) the ones that do not fit, say a line cut by a crash. */
export function parseRecords<T>(texts: Iterable<string>, schema: z.ZodType<T, z.ZodTypeDef, unknown>): { records: T[]; skipped: number } {
  const records: T[] = [];
  let skipped = 0;
  for (const text of texts) {
    try {
      records.push(schema.parse(JSON.parse(text)));
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}
