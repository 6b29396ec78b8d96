import { isStopword, tokenize } from './queryTerms.ts';

/** Distinct topic words of a text (what word alignment compares). */
export function topicWords(text: string): string[] {
  return topicWordsOf(tokenize(text));
}

/** Distinct topic words among tokens already made by `tokenize`. */
export function topicWordsOf(tokens: string[]): string[] {
  return [...new Set(tokens.filter((w) => !isStopword(w)))];
}

/** The corpus's topic words with one unit vector each (the embedding of the word on its own). */
export interface Vocabulary {
  words: string[];
  /** Row-major, one row per word; a zero row for words the model does not know. */
  vectors: Float32Array;
  dimensions: number;
}

/** The words of every chunk (text and section heading), sorted, for a reproducible index. */
export function collectVocabulary(texts: string[]): string[] {
  const words = new Set<string>();
  for (const text of texts) for (const word of topicWords(text)) words.add(word);
  return [...words].sort();
}
