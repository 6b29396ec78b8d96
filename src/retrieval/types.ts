import type { Chunk } from '../chunks/types.ts';
import type { StoredFacts } from '../chunks/articleFacts.ts';
import type { AnswerType } from './answerType.ts';
import type { QuestionAnalysis } from './question.ts';
import type { QueryWord } from './wordAlignment.ts';

/** A chunk as retrieval hands it to the answer stage: verbatim text with where it comes from (see Chunk). */
export type ChunkRecord = Pick<Chunk, 'id' | 'articleId' | 'articleTitle' | 'sectionPath' | 'sectionIndex' | 'paragraph' | 'text' | 'sentences' | 'isReference'> & {
  /** The facts of each sentence (same order as `sentences`): names by type, years, numbers, whether it continues the one before. */
  facts: StoredFacts[];
};

/** A chunk with the scores that ranked it. */
export interface RankedChunk {
  chunk: ChunkRecord;
  /** Fused score (higher is better). */
  score: number;
  /** Cosine similarity of the query to the chunk (0 when the chunk was not among the dense neighbours). */
  dense: number;
  /** BM25 score divided by the best BM25 score of this query (0..1). */
  lexical: number;
  /** Raw BM25 score. */
  bm25: number;
  /** Share of the query's terms found in the chunk by BM25 (exact, prefix or typo). */
  coverage: number;
  /** Word alignment of the query with the chunk (0..1). */
  alignment: number;
}

/** A query made once per search: everything retrieval and the reader need to know about what is asked. */
export interface PreparedQuery {
  /** The question as asked (normalised). */
  question: string;
  /** What is searched for: the question followed by the context words carried over from earlier turns. */
  text: string;
  /** Topic terms of `text`, in order. */
  terms: string[];
  /** Terms carried over from earlier turns; they weigh less than the question's own. */
  context: ReadonlySet<string>;
  /** Embedding of `text`. */
  vector: Float32Array;
  /** Each term with its weight and its similarity to the corpus's words. */
  words: QueryWord[];
  /** Each of `words`' best similarity to one of these vocabulary words: how a chunk or sentence meets the query. */
  bestMatches(wordIds: ArrayLike<number>): SentenceMatch;
  /** The kind of answer `text` asks for, when its wording says so. */
  answerType: AnswerType | undefined;
  /** The question asks for books or sources, so reference lists are not penalised. */
  preferReferences: boolean;
  /** What the question asks (of its own words, not the context's): answer type, focus, names. */
  analysis: QuestionAnalysis;
  /** Every run of the question's lexical terms, space-separated ("secret polic", "yezhov"): what names and glosses are matched on. */
  keys: ReadonlySet<string>;
}

/** How a sentence meets the query's words: for each of them (in the order of `PreparedQuery.words`), its best similarity to a word of the sentence. */
export type SentenceMatch = Float32Array;

/** A paragraph of the corpus with the chunks it was cut into, in order. */
export interface ParagraphRecord {
  /** Verbatim paragraph text. */
  text: string;
  /** Each chunk with its offset in `text`. */
  chunks: Array<{ chunk: ChunkRecord; offset: number }>;
}

export interface SectionInfo {
  articleId: string;
  articleTitle: string;
  sectionPath: string[];
  /** "Great Purge › Purge of the army" */
  label: string;
  isReference: boolean;
  /** Position of the section in its article (0 = lead). */
  sectionIndex: number;
  url?: string;
}

/** A section's verbatim text, read when it is shown. */
export interface SectionText {
  /** The section's paragraphs, joined by blank lines. */
  text: string;
  /** Offsets in `text` just after each sentence and paragraph end, ascending (where a long section may be cut into pages). */
  sentenceEnds: number[];
}

/** What the index in use was built from (for logs and /reindex replies). */
export interface IndexInfo {
  articles: number;
  sections: number;
  chunks: number;
  modelId: string;
  builtAt: string;
  fingerprint: string;
}
