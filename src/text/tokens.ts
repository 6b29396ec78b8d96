import { stemmer } from 'stemmer';

/**
 * The one tokenizer. Every stage that compares words (the index's vocabulary and lexical terms, retrieval,
 * highlights, follow-ups, question analysis) goes through these functions, so a word means the same thing at build
 * time and at question time.
 *
 * - `tokenize`: every word token of a text, lower-cased.
 * - `topicWords`: the distinct tokens that carry a topic (stopwords dropped): what word alignment compares.
 * - `questionTerms`: the topic words of a question, also without single letters: what is searched for.
 * - `stem` / `lexicalTerm`: the form BM25 matches on ("purging", "purged" and "purge" meet).
 */

/**
 * Words that carry no topic: question words, chat filler, auxiliaries. Dropping them keeps
 * "wat happend to yezov" and "Who was Yezhov?" equally about Yezhov.
 */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing done down during each few for from further had has have having he her here hers herself him himself his
  how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours out over own same
  she should so some such than that the their theirs them themselves then there these they this those through to too under until up
  very was we were what when where which while who whom why will with would you your yours yourself
  wat wut whats what's who's hey hi hello bot pls please plz lol ok okay tell know explain describe say said mean meant happen happened happend
  many much anyone someone something thing things really get got like im i'm u ur ya yeah yes thanks thank article
  yo wait um hmm lmao tho though nah even actually basically`.split(/\s+/),
);

/** Lower-cased word tokens (letters and digits of any script, inner apostrophes and hyphens kept, "'s" dropped). */
export function tokenize(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).map((t) => t.replace(/['’]s$/u, ''));
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** Distinct topic words among tokens made by `tokenize`, in order of first appearance. */
export function topicWords(tokens: readonly string[]): string[] {
  return [...new Set(tokens.filter((w) => !isStopword(w)))];
}

/** Topic words of a question, in order, without repeats; single letters are dropped unless they are digits. */
export function questionTerms(text: string): string[] {
  return topicWords(tokenize(text)).filter((t) => t.length > 1 || /\p{N}/u.test(t));
}

/** Most distinct words whose stem is remembered; past it (a long-running bot meeting endless typos) stems are computed afresh. */
const STEM_MEMO_LIMIT = 200_000;
const stems = new Map<string, string>();

/** Porter stem of a token. Memoised: stemming dominates lexical indexing, and a corpus repeats its words. */
export function stem(token: string): string {
  let result = stems.get(token);
  if (result === undefined) {
    result = stemmer(token);
    if (stems.size < STEM_MEMO_LIMIT) stems.set(token, result);
  }
  return result;
}

/** The term BM25 matches on: the stem of a topic word; null for a stopword. */
export function lexicalTerm(token: string): string | null {
  return isStopword(token) ? null : stem(token);
}

/** The lexical terms (stems) of a text, in order, stopwords dropped: what FTS5 and BM25 see. */
export function lexicalTerms(text: string): string[] {
  return lexicalTermsOf(tokenize(text));
}

/** The lexical terms of tokens made by `tokenize` (see lexicalTerms). */
export function lexicalTermsOf(tokens: readonly string[]): string[] {
  const terms: string[] = [];
  for (const token of tokens) {
    const term = lexicalTerm(token);
    if (term !== null) terms.push(term);
  }
  return terms;
}

/** A word or punctuation mark as written, with its offsets: names need their capitals. */
export interface SurfaceToken {
  text: string;
  start: number;
  end: number;
}

const SURFACE_RE = /[\p{L}\p{N}](?:[\p{L}\p{N}'’.-]*[\p{L}\p{N}])?|[^\s\p{L}\p{N}]/gu;

/** Words (inner apostrophes, hyphens and dots kept) and punctuation marks, in order, case kept. */
export function surfaceTokens(text: string): SurfaceToken[] {
  return Array.from(text.matchAll(SURFACE_RE), (m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

export const isCapitalised = (word: string): boolean => /^\p{Lu}/u.test(word);
export const isAcronym = (word: string): boolean => /^\p{Lu}[\p{Lu}\d]+$/u.test(word) && word.length <= 7;
export const stripPossessive = (word: string): string => word.replace(/['’]s$|(?<=s)['’]$/u, '');
