import type { Embedder } from '../embeddings/types.ts';
import type { Tuning } from '../config/tuning.ts';
import type { LoadedIndex } from '../index/loadIndex.ts';
import { chunkWords } from '../index/vocabulary.ts';
import { searchHnsw } from '../index/hnsw.ts';
import { questionTerms, stem, tokenize, topicWords } from '../text/tokens.ts';
import { buildLexicalIndex, type LexicalIndex } from './lexicalIndex.ts';
import { alignmentScore, similaritiesTo, type QueryWord } from './wordAlignment.ts';
import { asksForSources, expectedAnswerType } from './answerType.ts';
import { articleOpenings } from './overview.ts';
import { hybridSearch } from './hybridSearch.ts';
import type { ChunkRecord, IndexInfo, ParagraphRecord, PreparedQuery, RankedChunk, SectionInfo } from './types.ts';

/**
 * An index ready for questions. Positions of chunks in the index stay inside this module: callers get chunk
 * records, their paragraphs and their sections.
 */
export interface Retriever {
  /** Embeds and weighs a query once: the question, plus topic words carried over from earlier turns. */
  prepare(question: string, context: readonly string[], tuning: Tuning['retrieval']): Promise<PreparedQuery>;
  /** Chunks ranked for the query, best first (BM25, dense neighbours and word alignment, fused). */
  search(query: PreparedQuery, tuning: Tuning['retrieval']): RankedChunk[];
  /** Word alignment of the query with a piece of text (a sentence): how well its words meet the query's, 0..1. */
  alignment(query: PreparedQuery, text: string): number;
  /** The paragraph a chunk was cut from, with all its chunks in order. */
  paragraphOf(chunk: ChunkRecord): ParagraphRecord | undefined;
  /** Source URL of an article, when it has one. */
  sourceUrl(articleId: string): string | undefined;
  /** Table of contents, in article order. */
  sections(): SectionInfo[];
  info(): IndexInfo;
  /** Fingerprint of the index generation (a new one means a new index). */
  fingerprint: string;
}

/** Chunks handled between two yields to the event loop while a retriever is built. */
const SLICE = 1000;

/**
 * Derives everything retrieval needs from a loaded index. On a big corpus this takes seconds, so it works in
 * slices and yields between them: a running bot keeps answering and heartbeating while a new index is prepared.
 */
export async function createRetriever(index: LoadedIndex, embedder: Embedder): Promise<Retriever> {
  const { chunks, vocabulary } = index;
  const ids = new Map(vocabulary.words.map((word, i) => [word, i]));
  const wordId = (word: string) => ids.get(word);
  const documentFrequency = new Map<string, number>();
  const chunkWordIds: Int32Array[] = [];
  for (const [i, chunk] of chunks.entries()) {
    if (i % SLICE === SLICE - 1) await yieldToEventLoop();
    for (const term of new Set(tokenize(chunk.text))) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    chunkWordIds.push(Int32Array.from(chunkWords(chunk).map(wordId).filter((id): id is number => id !== undefined)));
  }
  const n = chunks.length;
  const idf = (term: string) => Math.log(1 + (n + 1) / ((documentFrequency.get(term) ?? 0) + 1));
  const lexical: LexicalIndex = await buildLexicalIndex(chunks, SLICE);
  const vocabularyStems = vocabulary.words.map(stem);
  const openings = articleOpenings(chunks.map((chunk, label) => ({ articleId: chunk.articleId, articleTitle: chunk.articleTitle, label })));
  const paragraphs = paragraphIndex(index);
  const urls = new Map(index.articles.map((a) => [a.id, a.sourceUrl]));
  const sectionList = tableOfContents(index, paragraphs);

  async function prepare(question: string, context: readonly string[], tuning: Tuning['retrieval']): Promise<PreparedQuery> {
    const text = [question, ...context].join(' ');
    const contextSet = new Set(context);
    const terms = questionTerms(text);
    const vector = await embedder.embedQuery(text);
    // Words the corpus lacks still get a vector, so "shot" can meet "executed"; one model call for all of them.
    const unknown = terms.filter((w) => wordId(w) === undefined);
    const fresh = unknown.length > 0 ? await embedder.embedPassages(unknown) : [];
    const freshByWord = new Map(unknown.map((w, i) => [w, fresh[i]!]));
    const dims = vocabulary.dimensions;
    const words: QueryWord[] = terms.map((word) => {
      const id = wordId(word);
      const wordVector = id !== undefined ? vocabulary.vectors.subarray(id * dims, (id + 1) * dims) : freshByWord.get(word)!;
      const weight = idf(word) * (contextSet.has(word) ? tuning.fusion.contextWeight : 1);
      const known = wordVector.some((x) => x !== 0) ? wordVector : undefined;
      return { word, weight, similarities: similaritiesTo(word, known, vocabulary, vocabularyStems, tuning.spelling) };
    });
    return { question, text, terms, context: contextSet, vector, words, answerType: expectedAnswerType(text), preferReferences: asksForSources(question) };
  }

  return {
    prepare,
    search: (query, tuning) =>
      hybridSearch({ chunks, lexical, chunkWordIds, openings, wordId, dense: (vector, k) => searchHnsw(index.hnsw, vector, k) }, query, tuning),
    alignment: (query, text) => alignmentScore(query.words, topicWords(tokenize(text)).map(wordId).filter((id): id is number => id !== undefined)),
    paragraphOf: (chunk) => paragraphs.get(paragraphKey(chunk)),
    sourceUrl: (articleId) => urls.get(articleId),
    sections: () => sectionList,
    info: () => ({ ...index.manifest.counts, modelId: index.manifest.model.id, builtAt: index.manifest.builtAt, fingerprint: index.manifest.fingerprint }),
    fingerprint: index.manifest.fingerprint,
  };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function paragraphKey(chunk: Pick<ChunkRecord, 'articleId' | 'sectionIndex' | 'paragraph'>): string {
  return `${chunk.articleId}\u0000${chunk.sectionIndex}\u0000${chunk.paragraph}`;
}

/** Every paragraph with its chunks in order and each chunk's offset in it (chunks are verbatim slices of their paragraph). */
function paragraphIndex(index: LoadedIndex): Map<string, ParagraphRecord> {
  const texts = new Map<string, string>();
  for (const article of index.articles) {
    article.sections.forEach((section, sectionIndex) =>
      section.paragraphs.forEach((text, p) => texts.set(paragraphKey({ articleId: article.id, sectionIndex, paragraph: p + 1 }), text)),
    );
  }
  const paragraphs = new Map<string, ParagraphRecord>();
  const searchFrom = new Map<string, number>();
  for (const chunk of index.chunks) {
    const key = paragraphKey(chunk);
    const text = texts.get(key);
    if (text === undefined) continue;
    const offset = text.indexOf(chunk.text, searchFrom.get(key) ?? 0);
    if (offset < 0) continue;
    searchFrom.set(key, offset + chunk.text.length);
    let record = paragraphs.get(key);
    if (!record) paragraphs.set(key, (record = { text, chunks: [] }));
    record.chunks.push({ chunk, offset });
  }
  return paragraphs;
}

const PARAGRAPH_BREAK = '\n\n';

function tableOfContents(index: LoadedIndex, paragraphs: ReadonlyMap<string, ParagraphRecord>): SectionInfo[] {
  return index.articles.flatMap((article) =>
    article.sections.map((section, sectionIndex) => {
      const sentenceEnds: number[] = [];
      let offset = 0;
      section.paragraphs.forEach((text, p) => {
        for (const { chunk, offset: at } of paragraphs.get(paragraphKey({ articleId: article.id, sectionIndex, paragraph: p + 1 }))?.chunks ?? []) {
          for (const [, end] of chunk.sentences) sentenceEnds.push(offset + at + end);
        }
        sentenceEnds.push(offset + text.length);
        offset += text.length + PARAGRAPH_BREAK.length;
      });
      return {
        articleId: article.id,
        articleTitle: article.title,
        sectionPath: section.path,
        label: [article.title, ...section.path].join(' › '),
        isReference: section.isReference,
        text: section.paragraphs.join(PARAGRAPH_BREAK),
        sentenceEnds: [...new Set(sentenceEnds)].sort((a, b) => a - b),
        ...(article.sourceUrl ? { url: article.sourceUrl } : {}),
      };
    }),
  );
}

