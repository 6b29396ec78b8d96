import { questionTerms, stripPossessive, tokenize } from '../text/tokens.ts';
import type { QuestionAnalysis } from '../retrieval/question.ts';
import type { Answer, Turn } from './types.ts';

const ANAPHORA = new Set(['he', 'him', 'his', 'she', 'her', 'hers', 'they', 'them', 'their', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'then']);
/** "the new guy", "that man": a person named earlier in the conversation. */
const PERSON_REFERENCE = /\b(the|that|this)\s+(new\s+|other\s+|same\s+|old\s+)?(guy|man|woman|person|fellow|successor|chap)\b/i;
const PERSON_PRONOUN = /\b(he|him|his|she|her|hers)\b/i;
const CONTINUATION = /^(and|also|but|so|what about|how about|what else|same for)\b/i;

/**
 * True when a question leans on earlier turns: it points back ("Who replaced him?", "the new guy"), continues
 * ("And the navy?"), or has at most one topic word ("How many died?").
 */
export function leansOnContext(question: string): boolean {
  return tokenize(question).some((w) => ANAPHORA.has(w)) || CONTINUATION.test(question.trim()) || PERSON_REFERENCE.test(question) || questionTerms(question).length <= 1;
}

/** The word by which the question points to a person it does not name ("him", "the new guy"), if it does. */
export function personPointer(question: string): string | undefined {
  return (PERSON_REFERENCE.exec(question) ?? PERSON_PRONOUN.exec(question))?.[0];
}

/**
 * The question with "he", "his" or "the new guy" replaced by the person they point to, by surname (a given name is
 * shared by many): the person the previous answer named (after a "who" question: "Who headed the NKVD?" → "Who
 * replaced him?" → "Who replaced Yezhov?"), else the person the latest question that names one named ("When was
 * Tukhachevsky cleared?" → "What had he been accused of?"). `analyze` tells what a turn's question asked and named.
 * Undefined when the question points to no one, or no one was named. ("It" is left to the context words: replacing
 * it by the previous question's other name lost more follow-ups on dev than it won.)
 */
export function resolveReference(question: string, history: readonly Turn[], analyze: (turn: Turn) => QuestionAnalysis): string | undefined {
  const reference = new RegExp(PERSON_REFERENCE.source, 'i');
  const pronoun = PERSON_PRONOUN.exec(question);
  if (!reference.test(question) && !pronoun) return undefined;
  const person = latestPerson(history, analyze);
  if (!person) return undefined;
  const surname = person.split(/\s+/).at(-1)!;
  if (reference.test(question)) return question.replace(reference, surname);
  const replacement = /^(his|hers)$/i.test(pronoun![0]) ? `${surname}'s` : surname;
  return question.slice(0, pronoun!.index) + replacement + question.slice(pronoun!.index + pronoun![0].length);
}

/**
 * The person the previous answer named, else the person the latest question that names one named. An older answer's
 * names are not used (it may have named several, and the conversation has moved on from it), nor the person a "who"
 * question named: "Who said he'd flown to Oslo to see Trotsky?" is about the one who said it, not Trotsky.
 */
function latestPerson(history: readonly Turn[], analyze: (turn: Turn) => QuestionAnalysis): string | undefined {
  const answered = history.at(-1)?.names?.[0];
  if (answered) return answered;
  for (const turn of [...history].reverse()) {
    const analysis = analyze(turn);
    if (analysis.answerType === 'person') continue;
    const person = analysis.entities.find((e) => e.type === 'person');
    if (person) return stripPossessive(person.text);
  }
  return undefined;
}

/** Topic words of the previous turn (which itself carries earlier context) that the question does not repeat, at most `max`. */
export function contextWords(question: string, history: readonly Turn[], max: number): string[] {
  const previous = history.at(-1);
  if (!previous) return [];
  const own = questionTerms(question);
  const carried = questionTerms(previous.searchedFor ?? previous.question);
  return [...new Set(carried)].filter((t) => !own.includes(t)).slice(0, max);
}

/** The turn to remember of an answer, for the follow-ups after it; none for an unusable question. */
export function turnOf(answer: Answer): Turn | undefined {
  if (answer.notice) return undefined;
  return { question: answer.question, searchedFor: answer.searchedFor, ...(answer.answerNames?.length ? { names: answer.answerNames } : {}) };
}
