import type { Tuning } from '../config/tuning.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import type { PreparedQuery, SentenceMatch } from '../retrieval/types.ts';
import { spellingMatch } from '../retrieval/wordAlignment.ts';
import { tokenize } from '../text/tokens.ts';
import type { Reading } from './reader.ts';

export interface Answerability {
  answerable: boolean;
  /** The question's names the article has (for "it mentions X, but not …"). */
  mentioned: string[];
  /** What it does not say: the names it lacks, or the words of the question nothing near those names matches. */
  missing: string[];
}

/** Verbs that say little about what is asked ("what did X do", "what became of X"): not what a sentence must match. */
const GENERIC_VERBS = new Set(['do', 'does', 'did', 'done', 'doing', 'become', 'became', 'happen', 'happened', 'go', 'went', 'get', 'got', 'make', 'made', 'take', 'took', 'have', 'has', 'had', 'come', 'came']);

/** How many of the question's most telling words a window must match. */
const KEY_WORDS = 2;

/**
 * Whether the article answers the question at all, beyond sharing words with it. A question that names something
 * the article never mentions ("the Battle of Stalingrad") is not answered; nor one whose names the article has but
 * whose most telling words no sentence near those names matches ("How did Beria die?": Beria is there, his death is
 * not). Judged on the read windows: a sentence, with the one it continues.
 */
export function judgeAnswerability(retriever: Retriever, query: PreparedQuery, readings: readonly Reading[], tuning: Tuning): Answerability {
  const { abstain } = tuning.reader;
  const variant = spellingMatch(tuning.retrieval.spelling);
  const { analysis, words } = query;
  const indexOf = (word: string) => words.findIndex((w) => w.word === word);
  const entities = analysis.entities
    .map((e) => ({ text: e.text, words: tokenize(e.text).map(indexOf).filter((q) => q >= 0), inCorpus: retriever.mentions(e.canonical) || retriever.mentions(e.text) }))
    .filter((e) => e.words.length > 0);
  const absent = entities.filter((e) => !e.inCorpus);
  const present = entities.filter((e) => e.inCorpus);
  if (abstain.absentNames > 0 && absent.length > 0 && absent.length >= abstain.absentNames * entities.length) return { answerable: false, mentioned: present.map((e) => e.text), missing: absent.map((e) => e.text) };

  const entityWords = new Set(present.flatMap((e) => e.words));
  const key = [...new Set(analysis.focusWords.flatMap((f) => tokenize(f)))]
    .filter((w) => !GENERIC_VERBS.has(w))
    .map(indexOf)
    .filter((q) => q >= 0 && !entityWords.has(q))
    .sort((a, b) => words[b]!.weight - words[a]!.weight)
    .slice(0, KEY_WORDS);
  if (key.length === 0) return { answerable: true, mentioned: present.map((e) => e.text), missing: [] };

  const threshold = present.length > 0 ? abstain.focus : abstain.focusAlone;
  if (threshold <= 0) return { answerable: true, mentioned: present.map((e) => e.text), missing: [] };
  for (const reading of readings.slice(0, tuning.reader.answer.depth)) {
    for (const window of reading.windows) {
      const best = (q: number) => Math.max(...window.map((m: SentenceMatch) => m[q] ?? 0));
      if (!present.every((e) => e.words.some((q) => best(q) >= variant))) continue;
      if (Math.min(...key.map(best)) >= threshold) return { answerable: true, mentioned: present.map((e) => e.text), missing: [] };
    }
  }
  return { answerable: false, mentioned: present.map((e) => e.text), missing: key.map((q) => words[q]!.word) };
}
