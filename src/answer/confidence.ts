import type { Tuning } from '../config/tuning.ts';
import type { RankedChunk } from '../retrieval/types.ts';

/**
 * True when the best candidate is strong enough to quote as an answer. Off-topic questions either share almost no
 * rare word with the corpus (low BM25) and have no close synonyms in it (low word alignment), or have no close words
 * at all.
 */
export function isConfident(best: RankedChunk | undefined, abstain: Tuning['reader']['abstain']): boolean {
  if (!best) return false;
  if (best.alignment < abstain.minAlignment) return false;
  return !(best.bm25 < abstain.weakBm25 && best.alignment < abstain.weakAlignment);
}
