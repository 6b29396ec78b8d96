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

/**
 * A query word with its similarity to the vocabulary's words: cosine of the word vectors, raised for the same word and
 * its spelling variants. Only the words a query is compared with are computed (those of its candidate chunks), once
 * each, so the cost does not grow with the vocabulary.
 */
export function queryWord(
  word: string,
  weight: number,
  vector: Float32Array | undefined,
  vocabulary: Pick<Vocabulary, 'words' | 'stems' | 'vectors' | 'dimensions'>,
  spelling: Spelling,
): QueryWord {
  const { words, stems, vectors, dimensions } = vocabulary;
  const isVariant = spellingVariantTest(word, spelling.minTypoLength);
  const known = new Map<number, number>();
  return {
    word,
    weight,
    similarity(id) {
      let sim = known.get(id);
      if (sim !== undefined) return sim;
      const other = words[id] ?? '';
      let dot = 0;
      if (vector) {
        const offset = id * dimensions;
        for (let d = 0; d < dimensions; d++) dot += vector[d]! * vectors[offset + d]!;
      }
      sim = Math.fround(other === word ? 1 : other !== '' && isVariant(other, stems[id]!) ? Math.max(spelling.match, dot) : Math.max(0, dot));
      known.set(id, sim);
      return sim;
    },
  };
}

/** Weighted mean, over the query words, of each one's best similarity to a word of the text (0..1). */
export function alignmentScore(query: readonly QueryWord[], textWordIds: ArrayLike<number>): number {
  let total = 0;
  let weights = 0;
  for (const q of query) {
    let best = 0;
    for (let i = 0; i < textWordIds.length; i++) {
      const sim = q.similarity(textWordIds[i]!);
      if (sim > best) best = sim;
    }
    total += q.weight * best;
    weights += q.weight;
  }
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
