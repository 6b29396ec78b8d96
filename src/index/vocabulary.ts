import { tokenize, topicWords } from '../text/tokens.ts';
import type { Chunk } from '../chunks/types.ts';

/** The words of a chunk that word alignment compares: the topic words of its section heading path, then of its text. */
export function chunkWords(chunk: Pick<Chunk, 'sectionPath' | 'text'>): string[] {
  return topicWords([...tokenize(chunk.sectionPath.join(' ')), ...tokenize(chunk.text)]);
}

/** The corpus's topic words with one unit vector each (the embedding of the word on its own). */
export interface Vocabulary {
  words: string[];
  /** Row-major, one row per word; a zero row for words the model does not know. */
  vectors: Float32Array;
  dimensions: number;
}

/** The words of every chunk, sorted, for a reproducible index. */
export function collectVocabulary(chunks: ReadonlyArray<Pick<Chunk, 'sectionPath' | 'text'>>): string[] {
  const words = new Set<string>();
  for (const chunk of chunks) for (const word of chunkWords(chunk)) words.add(word);
  return [...words].sort();
}
