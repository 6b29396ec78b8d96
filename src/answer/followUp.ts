import { questionTerms, tokenize } from '../text/tokens.ts';
import type { Answer, Turn } from './types.ts';

const ANAPHORA = new Set(['he', 'him', 'his', 'she', 'her', 'hers', 'they', 'them', 'their', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'then']);
/** "the new guy", "that man": a person named earlier in the conversation. */
const PERSON_REFERENCE = /\b(the|that|this)\s+(new\s+|other\s+|same\s+|old\s+)?(guy|man|woman|person|fellow|successor|chap)\b/i;
const CONTINUATION = /^(and|also|but|so|what about|how about|what else|same for)\b/i;

/**
 * True when a question leans on earlier turns: it points back ("Who replaced him?", "the new guy"), continues
 * ("And the navy?"), or has at most one topic word ("How many died?").
 */
export function leansOnContext(question: string): boolean {
  return tokenize(question).some((w) => ANAPHORA.has(w)) || CONTINUATION.test(question.trim()) || PERSON_REFERENCE.test(question) || questionTerms(question).length <= 1;
}

/** Topic words of the previous turn (which itself carries earlier context) that the question does not repeat, at most `max`. */
export function contextWords(question: string, history: readonly Turn[], max: number): string[] {
  const previous = history.at(-1);
  if (!previous) return [];
  const own = questionTerms(question);
  return questionTerms(previous.searchedFor ?? previous.question)
    .filter((t) => !own.includes(t))
    .slice(0, max);
}

/** The turn to remember of an answer, for the follow-ups after it; none for an unusable question. */
export function turnOf(answer: Answer): Turn | undefined {
  if (answer.notice) return undefined;
  return { question: answer.question, searchedFor: answer.searchedFor };
}
