import { topicWords } from '../text/tokens.ts';
import type { ChunkTokens } from './lexicalTerms.ts';

/** The words of a chunk that word alignment compares: the topic words of its section heading path, then of its text. */
export function chunkWords(tokens: ChunkTokens): string[] {
  return topicWords([...tokens.heading, ...tokens.text]);
}

/** The corpus's topic words, by id, as the bot holds them: each with its stem, its rarity and its vector. */
export interface Vocabulary {
  /** '' where an id is unused. */
  words: string[];
  stems: string[];
  /** Chunks whose text has the word. */
  df: Int32Array;
  /** Row-major, one row per id: the embedding of the word alone; zeros for words the model does not know. */
  vectors: Float32Array;
  dimensions: number;
}
