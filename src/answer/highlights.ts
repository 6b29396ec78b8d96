import type { Retriever } from '../retrieval/retriever.ts';
import { topicWords } from '../retrieval/vocabulary.ts';
import { alignmentScore, type QueryWord } from '../retrieval/wordAlignment.ts';

/** How well each sentence answers the query: word alignment of the query with the sentence alone. */
export function scoreSentences(sentences: string[], query: QueryWord[], retriever: Retriever): number[] {
  return sentences.map((sentence) => {
    const ids = topicWords(sentence)
      .map((w) => retriever.wordId(w))
      .filter((id): id is number => id !== undefined);
    return alignmentScore(query, ids);
  });
}

/** Indices of the sentence or two that best answer the query: the best one, plus the runner-up when nearly as good. */
export function pickHighlights(scores: number[]): number[] {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const best = order[0];
  if (!best) return [];
  const picked = [best[1]];
  const second = order[1];
  if (second && best[0] > 0 && second[0] >= 0.9 * best[0]) picked.push(second[1]);
  return picked.sort((a, b) => a - b);
}
