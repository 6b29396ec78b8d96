import type { Embedder } from '../embeddings/types.ts';
import type { Retriever } from './retriever.ts';
import { contentTerms } from './queryTerms.ts';
import { similaritiesTo, type QueryWord } from './wordAlignment.ts';

/** Words carried over from earlier turns count for less than the question's own words. */
export const CONTEXT_WEIGHT = 0.5;

/** The topic words of a query, each with its weight and its similarity to every corpus word. */
export async function queryWords(retriever: Retriever, embedder: Embedder, text: string, context = new Set<string>()): Promise<QueryWord[]> {
  const words = contentTerms(text);
  const { vocabulary } = retriever.index;
  const unknown = words.filter((w) => retriever.wordId(w) === undefined);
  // Words the corpus lacks still get a vector, so "shot" can meet "executed"; one model call for all of them.
  const fresh = unknown.length > 0 ? await embedder.embedPassages(unknown) : [];
  const freshByWord = new Map(unknown.map((w, i) => [w, fresh[i]!]));
  const dims = vocabulary.dimensions;
  return words.map((word) => {
    const id = retriever.wordId(word);
    const vector = id !== undefined ? vocabulary.vectors.subarray(id * dims, (id + 1) * dims) : freshByWord.get(word)!;
    const weight = retriever.idf(word) * (context.has(word) ? CONTEXT_WEIGHT : 1);
    return { word, weight, similarities: similaritiesTo(word, vector.some((x) => x !== 0) ? vector : undefined, vocabulary, retriever.vocabularyStems) };
  });
}
