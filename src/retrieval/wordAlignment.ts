import { stem } from '../text/tokens.ts';
import type { Tuning } from '../config/tuning.ts';
import type { Vocabulary } from '../index/vocabulary.ts';

/**
 * Word alignment ("soft term matching"): each query word is matched to the most similar word of a text,
 * and the matches are averaged, weighted by how rare the query word is. A static word-vector model is weak
 * at whole-sentence meaning but good at word similarity, so "shot" meets "executed" and "navy" meets "admirals"
 * even when BM25 finds nothing; spelling variants ("yezov", "purging") count almost as the word itself.
 */
export interface QueryWord {
  word: string;
  /** Inverse document frequency: rare words weigh more. */
  weight: number;
  /** Similarity of this word to a vocabulary word, by its id (1 for the word itself). Computed when first asked. */
  similarity(wordId: number): number;
}

type Spelling = Tuning['retrieval']['spelling'];

/**
 * How much a spelling variant counts, rounded to float32 as similarities are computed, so that
 * `similarity >= spellingMatch(…)` holds for every variant.
 */
export function spellingMatch(spelling: Spelling): number {
  return Math.fround(spelling.match);
}

/** A question word as it enters word alignment: its weight, and its vector when the model knows it. */
export interface QueryWordSpec {
  word: string;
  weight: number;
  vector: Float32Array | undefined;
}

/** A query's words, compared with the vocabulary's words together. */
export interface QueryWords {
  words: QueryWord[];
  /**
   * Each query word's best similarity to one of these vocabulary words (0 when none is close), in the order of
   * `words`: how a chunk or a sentence meets the query.
   */
  bestMatches(wordIds: ArrayLike<number>): Float32Array;
}

/**
 * A query's words with their similarity to the vocabulary's words: cosine of the word vectors, raised for the same
 * word and its spelling variants. Only the words a query is compared with are computed (those of its candidate
 * chunks), once each and for all the query's words at once, so the cost does not grow with the vocabulary and a
 * chunk's word costs one lookup, not one per query word.
 */
export function queryWords(
  specs: readonly QueryWordSpec[],
  vocabulary: Pick<Vocabulary, 'words' | 'stems' | 'vectors' | 'dimensions'>,
  spelling: Spelling,
): QueryWords {
  const { words, stems, vectors, dimensions } = vocabulary;
  const variantTests = specs.map((s) => spellingVariantTest(s.word, spelling.minTypoLength));
  const rows = new Map<number, Float32Array>();
  const row = (id: number): Float32Array => {
    const known = rows.get(id);
    if (known) return known;
    const other = words[id] ?? '';
    const offset = id * dimensions;
    const out = new Float32Array(specs.length);
    specs.forEach(({ word, vector }, q) => {
      let dot = 0;
      if (vector) {
        // Four running sums: the additions no longer wait on each other (twice as fast as one).
        let a = 0, b = 0, c = 0, e = 0, d = 0;
        for (; d + 3 < dimensions; d += 4) {
          a += vector[d]! * vectors[offset + d]!;
          b += vector[d + 1]! * vectors[offset + d + 1]!;
          c += vector[d + 2]! * vectors[offset + d + 2]!;
          e += vector[d + 3]! * vectors[offset + d + 3]!;
        }
        for (; d < dimensions; d++) a += vector[d]! * vectors[offset + d]!;
        dot = a + b + c + e;
      }
      out[q] = other === word ? 1 : other !== '' && variantTests[q]!(other, stems[id]!) ? Math.max(spelling.match, dot) : Math.max(0, dot);
    });
    rows.set(id, out);
    return out;
  };
  return {
    words: specs.map(({ word, weight }, q) => ({ word, weight, similarity: (id: number) => row(id)[q]! })),
    bestMatches(wordIds) {
      const best = new Float32Array(specs.length);
      for (let i = 0; i < wordIds.length; i++) {
        const r = row(wordIds[i]!);
        for (let q = 0; q < r.length; q++) if (r[q]! > best[q]!) best[q] = r[q]!;
      }
      return best;
    },
  };
}

/** Weighted mean, over the query words, of each one's best similarity to a word of a text (`bestMatches` of its words; 0..1). */
export function alignmentScore(query: readonly QueryWord[], best: ArrayLike<number>): number {
  let total = 0;
  let weights = 0;
  query.forEach((q, i) => {
    total += q.weight * (best[i] ?? 0);
    weights += q.weight;
  });
  return weights > 0 ? total / weights : 0;
}

/**
 * Two words are spelling variants when they have the same stem ("executed"/"executions") or, both at least
 * `minTypoLength` letters long and starting alike, differ by one typo ("yezov"/"yezhov"). Short words must match
 * exactly: "tall" is not "toll", "mount" is not "amount"; and a shared beginning is not enough: "photosynthesis" is
 * not "photos".
 */
export function spellingVariantTest(word: string, minTypoLength: number): (other: string, otherStem: string) => boolean {
  const wordStem = stem(word);
  return (other, otherStem) =>
    other !== word &&
    (otherStem === wordStem ||
      (word.length >= minTypoLength &&
        other.length >= minTypoLength &&
        word[0] === other[0] &&
        Math.abs(word.length - other.length) <= 1 &&
        editDistanceAtMostOne(word, other)));
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
