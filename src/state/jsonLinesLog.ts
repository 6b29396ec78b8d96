import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { feedbackRecordSchema, parseRecords, unansweredRecordSchema } from './records.ts';

/** An append-only JSON Lines file under the data folder (the JSON backend's feedback and unanswered questions). */
export interface JsonLinesLog<T> {
  file: string;
  append(record: T): Promise<void>;
  /** The records, skipping lines that are not valid records (say, a line cut by a crash). */
  read(): Promise<{ records: T[]; skipped: number }>;
}

function jsonLinesLog<T>(file: string, schema: z.ZodType<T>): JsonLinesLog<T> {
  return {
    file,
    // One line per record; appends are small enough to be written whole.
    async append(record) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.appendFile(file, `${JSON.stringify(record)}\n`);
    },
    async read() {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0 };
        throw error;
      }
      return parseRecords(text.split('\n').filter((line) => line.trim()), schema);
    },
  };
}

export const feedbackLog = (dataDir: string) => jsonLinesLog(path.join(dataDir, 'feedback.jsonl'), feedbackRecordSchema);
export const unansweredLog = (dataDir: string) => jsonLinesLog(path.join(dataDir, 'unanswered.jsonl'), unansweredRecordSchema);
