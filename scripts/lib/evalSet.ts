import fs from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config.ts';

/** The evaluation set in tests/eval/ (see its README): one folder per split. */
export type Split = 'dev' | 'test' | 'holdout' | 'fresh';

export interface AnswerSpan {
  text: string;
  section: string;
}

export interface EvalQuestion {
  id: string;
  question: string;
  answers: AnswerSpan[];
  style: string;
  asks: string;
}

export interface EvalOffTopic {
  id: string;
  question: string;
  kind: 'unrelated' | 'near-miss';
}

export interface EvalConversation {
  id: string;
  turns: Array<{ question: string; answers: AnswerSpan[]; standalone?: boolean }>;
}

export interface EvalSplit {
  split: Split;
  questions: EvalQuestion[];
  offtopic: EvalOffTopic[];
  conversations: EvalConversation[];
}

export const EVAL_DIR = path.join(PROJECT_ROOT, 'tests/eval');

export async function readSplit(split: Split): Promise<EvalSplit> {
  const read = async <T>(file: string) => JSON.parse(await fs.readFile(path.join(EVAL_DIR, split, file), 'utf8')) as T;
  return {
    split,
    questions: await read<EvalQuestion[]>('questions.json'),
    offtopic: await read<EvalOffTopic[]>('offtopic.json'),
    conversations: await read<EvalConversation[]>('conversations.json'),
  };
}

/** True when the text contains one of the answer spans (the README's judging rule). */
export function hits(text: string, answers: readonly AnswerSpan[]): boolean {
  return answers.some((a) => text.includes(a.text));
}
