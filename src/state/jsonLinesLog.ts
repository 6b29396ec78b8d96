import fs from 'node:fs/promises';
import path from 'node:path';
import { makeDir } from './jsonFile.ts';
import type { FeedbackRecord, UnansweredRecord } from './types.ts';
import { parseRecords, parseVotes, unansweredRecordSchema } from './records.ts';

/** An append-only JSON Lines file under the data folder (the JSON backend's feedback and unanswered questions). */
export interface JsonLinesLog<T> {
  file: string;
  append(record: T): Promise<void>;
  /** Every record in order, skipping lines that are not valid records (say, a line cut by a crash). */
  read(): Promise<{ records: T[]; skipped: number }>;
}

type Parse<T> = (lines: string[]) => { records: T[]; skipped: number };

function jsonLinesLog<T>(file: string, parse: Parse<T>): JsonLinesLog<T> {
  return {
    file,
    // One line per record; appends are small enough to be written whole.
    async append(record) {
      await makeDir(path.dirname(file));
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
      return parse(text.split('\n').filter((line) => line.trim()));
    },
  };
}

/** One line per press: a later line of the same user and answer replaces an earlier one (see votesInForce). */
export const feedbackLog = (dataDir: string): JsonLinesLog<FeedbackRecord> => jsonLinesLog(path.join(dataDir, 'feedback.jsonl'), parseVotes);
export const unansweredLog = (dataDir: string): JsonLinesLog<UnansweredRecord> =>
  jsonLinesLog(path.join(dataDir, 'unanswered.jsonl'), (lines) => parseRecords(lines, unansweredRecordSchema));
