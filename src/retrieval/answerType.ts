import type { ChunkRecord, PreparedQuery } from './types.ts';

/** What kind of answer a question wants, when its wording says so. */
export type AnswerType = 'time' | 'quantity';

const ASKS_TIME = /\b(when|what year|which year|what date|how long ago|since when)\b/i;
const ASKS_QUANTITY = /\b(how many|how much|what number|number of|death toll|figure)\b/i;
const TIME = /\b(1[0-9]{3}|20[0-9]{2})s?\b|'[0-9]0s\b/;
const QUANTITY = /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|dozens?|hundreds?|thousands?|millions?|minority|majority|half)\b/i;
const ASKS_FOR_SOURCES =
  /\b(books?|read(ing)?|sources?|references?|bibliograph\w*|literature|links?|isbn|further|wrote|writ(es|ten|er|ers)|authors?|authored|edit(ed|or|ors|ion|ions)|compil(ed|er|ers)|publish(ed|er)|(came|come|comes) out|volumes?)\b/i;

export function expectedAnswerType(question: string): AnswerType | undefined {
  if (ASKS_QUANTITY.test(question)) return 'quantity';
  if (ASKS_TIME.test(question)) return 'time';
  return undefined;
}

/** True when a question asks for books, sources or further reading: then reference lists are answers too. */
export function asksForSources(question: string): boolean {
  return ASKS_FOR_SOURCES.test(question);
}

/** True when a sentence holds the kind of answer asked for: a year for "when", a number for "how many". */
export function holdsAnswerType(sentence: string, type: AnswerType): boolean {
  return (type === 'time' ? TIME : QUANTITY).test(sentence);
}

/**
 * True when one sentence of the chunk both mentions a word of the question (or a spelling variant of it: similarity
 * at least `variant`) and holds the kind of answer asked for ("When was Bukharin rehabilitated?" → a sentence with
 * "rehabilitated" and a year).
 */
export function hasTypedAnswer(
  indexed: { chunk: Pick<ChunkRecord, 'text' | 'sentences'>; sentenceWordIds: readonly ArrayLike<number>[] },
  type: AnswerType,
  query: Pick<PreparedQuery, 'bestMatches'>,
  variant: number,
): boolean {
  const { chunk, sentenceWordIds } = indexed;
  return chunk.sentences.some(([start, end], i) => holdsAnswerType(chunk.text.slice(start, end), type) && query.bestMatches(sentenceWordIds[i] ?? []).some((sim) => sim >= variant));
}
