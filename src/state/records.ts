import { z } from 'zod';
import type { FeedbackRecord, StoredAnswer, UnansweredRecord } from './types.ts';

/** The shapes of stored records, checked wherever they are read back (a JSON line, an SQLite row, a Redis value). */
export const turnSchema = z.object({ question: z.string(), searchedFor: z.string().optional() });

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

export const feedbackRecordSchema = z.object({
  time: z.string(),
  question: z.string(),
  chunkIds: z.array(z.string()),
  vote: z.enum(['up', 'down']),
  userHash: z.string(),
}) satisfies z.ZodType<FeedbackRecord>;

export const unansweredRecordSchema = z.object({
  time: z.string(),
  question: z.string(),
  reason: z.enum(['abstained', 'down-vote']),
  sections: z.array(z.string()),
  userHash: z.string(),
}) satisfies z.ZodType<UnansweredRecord>;

/** Parses JSON texts with a schema, counting (not throwing on) the ones that do not fit, say a line cut by a crash. */
export function parseRecords<T>(texts: Iterable<string>, schema: z.ZodType<T>): { records: T[]; skipped: number } {
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
