import type { Answer, Turn } from './types.ts';
import { contentTerms, tokenize } from '../retrieval/queryTerms.ts';

const ANAPHORA = new Set(['he', 'him', 'his', 'she', 'her', 'hers', 'they', 'them', 'their', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'then']);
/** "the new guy", "that man": a person named earlier in the conversation. */
const PERSON_REFERENCE = /\b(the|that|this)\s+(new\s+|other\s+|same\s+|old\s+)?(guy|man|woman|person|fellow|successor|chap)\b/i;
const CONTINUATION = /^(and|also|but|so|what about|how about|what else|same for)\b/i;

/** Most context terms carried from earlier turns; keeps a long conversation from drifting into one big query. */
const MAX_CONTEXT_TERMS = 12;

/**
 * True when a question leans on earlier turns: it points back ("Who replaced him?", "the new guy"), continues
 * ("And the navy?"), or has at most one topic word ("How many died?").
 */
export function leansOnContext(question: string): boolean {
  return tokenize(question).some((w) => ANAPHORA.has(w)) || CONTINUATION.test(question.trim()) || PERSON_REFERENCE.test(question) || contentTerms(question).length <= 1;
}

/** Topic words of the previous turn (which itself carries earlier context) that the question does not repeat. */
export function contextWords(question: string, history: Turn[]): string[] {
  const previous = history.at(-1);
  if (!previous) return [];
  const own = contentTerms(question);
  return contentTerms(previous.searchedFor ?? previous.question)
    .filter((t) => !own.includes(t))
    .slice(0, MAX_CONTEXT_TERMS);
}

/** The turn to remember of an answer, for the follow-ups after it. */
export function turnOf(answer: Answer): Turn {
  return { question: answer.question, searchedFor: answer.searchedFor, chunkIds: answer.passages.flatMap((p) => p.chunkIds) };
}
