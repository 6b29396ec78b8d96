import type { Candidate } from '../retrieval/retriever.ts';

/**
 * Abstention thresholds, calibrated on the dev split of the evaluation set (answerable and off-topic
 * questions). Off-topic questions either share almost no rare word with the corpus (low BM25) and have
 * no close synonyms in it (low word alignment), or have no close words at all.
 */
export const ABSTAIN = { weakBm25: 5, weakAlignment: 0.7, minAlignment: 0.38 };

/** True when the best candidate is strong enough to quote as an answer. */
export function isConfident(best: Candidate | undefined): boolean {
  if (!best) return false;
  if (best.alignment < ABSTAIN.minAlignment) return false;
  return !(best.bm25 < ABSTAIN.weakBm25 && best.alignment < ABSTAIN.weakAlignment);
}
