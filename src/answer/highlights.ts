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
