import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { FeedbackRecord } from './types.ts';

const feedbackRecordSchema = z.object({
  time: z.string(),
  // Older lines have no answer key: each of them counts as a vote of its own.
  answerKey: z.string().optional(),
  question: z.string(),
  chunkIds: z.array(z.string()),
  vote: z.enum(['up', 'down']),
  userHash: z.string(),
}) satisfies z.ZodType<Omit<FeedbackRecord, 'answerKey'>>;

export function feedbackFile(dataDir: string): string {
  return path.join(dataDir, 'feedback.jsonl');
}

/** One JSON line per press; appends are small enough to be written whole. A later line for the same answer and user replaces the earlier one. */
export async function appendFeedback(dataDir: string, record: FeedbackRecord): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true });
  await fs.appendFile(feedbackFile(dataDir), `${JSON.stringify(record)}\n`);
}

/** Reads every press, in order, skipping lines that are not valid records (say, a line cut by a crash). */
export async function readFeedback(dataDir: string): Promise<{ records: FeedbackRecord[]; skipped: number }> {
  let text: string;
  try {
    text = await fs.readFile(feedbackFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0 };
    throw error;
  }
  const records: FeedbackRecord[] = [];
  let skipped = 0;
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    try {
      const record = feedbackRecordSchema.parse(JSON.parse(line));
      records.push({ ...record, answerKey: record.answerKey ?? `line-${i + 1}` });
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}
