/** Indices of the sentence or two that best answer the query: the best one, plus the runner-up when nearly as good. */
export function pickHighlights(scores: readonly number[], secondRatio: number): number[] {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const best = order[0];
  if (!best) return [];
  const picked = [best[1]];
  const second = order[1];
  if (second && best[0] > 0 && second[0] >= secondRatio * best[0]) picked.push(second[1]);
  return picked.sort((a, b) => a - b);
}

/**
 * Indices of the sentences to highlight, ascending: the best one or two (pickHighlights), each with the sentence it
 * continues (`continues[i]`: sentence i leans on sentence i − 1, as "The commission was headed by …" does). For a
 * yes/no question, also the sentence that continues the best one, and its better neighbour when that scores at least
 * `yesNoNeighbour` of it: where the article confirms or refutes what the best one states ("Piatakov testified that
 * he had flown to Oslo …" → "The Dewey Commission established that no such flight had taken place.").
 */
export function highlightedSentences(
  scores: readonly number[],
  continues: readonly boolean[],
  options: { secondRatio: number; yesNo: boolean; yesNoNeighbour: number },
): number[] {
  const picked = pickHighlights(scores, options.secondRatio);
  const out = new Set(picked);
  for (const i of picked) if (i > 0 && continues[i]) out.add(i - 1);
  const best = picked.reduce((a, b) => (scores[b]! > scores[a]! ? b : a), picked[0] ?? 0);
  if (options.yesNo && continues[best + 1]) out.add(best + 1);
  if (options.yesNo && scores[best]! > 0) {
    // The better of the two neighbours, if it is not highlighted already.
    const neighbour = [best - 1, best + 1].filter((i) => i >= 0 && i < scores.length).sort((a, b) => scores[b]! - scores[a]! || a - b)[0];
    if (neighbour !== undefined && scores[neighbour]! >= options.yesNoNeighbour * scores[best]!) out.add(neighbour);
  }
  return [...out].sort((a, b) => a - b);
}
