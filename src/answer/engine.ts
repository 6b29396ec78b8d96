import type { Embedder } from '../embeddings/types.ts';
import { dot } from '../embeddings/vectors.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import { hybridSearch, type Candidate } from '../retrieval/retriever.ts';
import type { Answer, AnswerEngine, AnswerOptions, Passage, SectionInfo } from './types.ts';
import { normalizeQuestion } from './normalizeQuestion.ts';
import { contextWords, leansOnContext } from './followUp.ts';
import { pickHighlights, scoreSentences } from './highlights.ts';
import { composePassage } from './composePassage.ts';
import { sentenceKey, unquotedPart, windowAround, type QuoteWindow } from './quoteWindows.ts';
import { isConfident } from './confidence.ts';
import { formatCitation, sectionLabel } from './citation.ts';
import { queryWords } from '../retrieval/queryWords.ts';
import type { QueryWord } from '../retrieval/wordAlignment.ts';
import { expectedAnswerType, holdsAnswerType } from '../retrieval/answerType.ts';

export interface EngineOptions {
  maxPassages: number;
  historyTurns: number;
}

/** Passages weaker than this share of the best one are not shown: a weak quote is worse than none. */
const MIN_RELATIVE_SCORE = 0.5;
const SUGGESTIONS = 3;
/** Weight of a sentence's embedding similarity next to its word alignment when choosing highlights. */
const HIGHLIGHT_DENSE_WEIGHT = 0.5;
/** Bonus for a sentence holding the kind of answer asked for ("How many … shot?" → the sentence with the number). */
const HIGHLIGHT_ANSWER_TYPE_BONUS = 0.1;
const ASKS_FOR_SOURCES = /\b(books?|read(ing)?|sources?|references?|bibliograph\w*|literature|links?|isbn|further)\b/i;

/**
 * The answer engine: question (+ conversation) in, verbatim passages with citations out.
 * `current()` is read once per question, so a question in flight finishes on the index it started with.
 */
export function createAnswerEngine(current: () => Retriever, embedder: Embedder, options: EngineOptions): AnswerEngine {
  async function answer(rawQuestion: string, answerOptions: AnswerOptions = {}): Promise<Answer> {
    const started = performance.now();
    const retriever = current();
    const normalized = normalizeQuestion(rawQuestion);
    const finish = (partial: Omit<Answer, 'timings' | 'question'>): Answer => ({
      question: rawQuestion,
      ...partial,
      timings: { totalMs: Math.round((performance.now() - started) * 10) / 10 },
    });
    if (!normalized.ok) {
      return finish({ abstained: true, passages: [], suggestions: [], notice: normalized.notice, searchedFor: '', hasMore: false });
    }
    const history = options.historyTurns > 0 ? (answerOptions.history ?? []).slice(-options.historyTurns) : [];
    const preferReferences = ASKS_FOR_SOURCES.test(normalized.text);
    const search = async (context: string[]) => {
      const query = [normalized.text, ...context].join(' ');
      const vector = await embedder.embedQuery(query);
      const words = await queryWords(retriever, embedder, query, new Set(context));
      return { query, vector, words, candidates: hybridSearch(retriever, { text: query, vector, words, context: new Set(context) }, { preferReferences }) };
    };
    // A question that leans on the conversation is searched with it; one that stands on its own is searched
    // alone, and with the conversation only when alone it finds nothing convincing ("What did the new guy change?").
    const leans = history.length > 0 && leansOnContext(normalized.text);
    let result = await search(leans ? contextWords(normalized.text, history) : []);
    if (!leans && history.length > 0 && !isConfident(result.candidates[0])) {
      const inContext = await search(contextWords(normalized.text, history));
      if (isConfident(inContext.candidates[0])) result = inContext;
    }
    const { query: searchedFor, vector, words, candidates } = result;
    const suggestions = closestSections(retriever, candidates);

    if (!isConfident(candidates[0])) {
      return finish({ abstained: true, passages: [], suggestions, searchedFor, hasMore: false });
    }
    const best = candidates[0]!.score;
    const shown = candidates.filter((c) => c.score >= MIN_RELATIVE_SCORE * best);
    const skip = answerOptions.skip ?? 0;
    const limit = answerOptions.maxPassages ?? options.maxPassages;
    // Passages are composed best first, each from what the earlier ones did not quote, so no sentence is shown
    // twice; "More passages" (skip) composes the earlier pages again to know what they quoted.
    const { chunks, articles } = retriever.index;
    const quoted = new Set<string>();
    const passages: Passage[] = [];
    let hasMore = false;
    for (const candidate of distinctText(retriever, shown)) {
      const chunk = chunks[candidate.label]!;
      const part = unquotedPart(windowAround(chunks, candidate.label, articles), chunk.id, quoted);
      if (!part) continue;
      if (passages.length === skip + limit) {
        hasMore = true;
        break;
      }
      const { passage, quotedKeys } = await toPassage(retriever, embedder, candidate, part, { text: normalized.text, words, vector });
      for (const key of quotedKeys) quoted.add(key);
      passages.push(passage);
    }
    return finish({ abstained: false, passages: passages.slice(skip), suggestions, searchedFor, hasMore });
  }

  function sections(): SectionInfo[] {
    const { articles } = current().index;
    return articles.flatMap((article) =>
      article.sections.map((section) => ({
        articleId: article.id,
        articleTitle: article.title,
        sectionPath: section.path,
        label: [article.title, ...section.path].join(' › '),
        isReference: section.isReference,
        text: section.paragraphs.join('\n\n'),
        ...(article.sourceUrl ? { url: article.sourceUrl } : {}),
      })),
    );
  }

  function stats() {
    const { manifest } = current().index;
    return { ...manifest.counts, modelId: manifest.model.id, builtAt: manifest.builtAt };
  }

  return { answer, sections, stats };
}

async function toPassage(
  retriever: Retriever,
  embedder: Embedder,
  candidate: Candidate,
  window: QuoteWindow,
  query: { text: string; words: QueryWord[]; vector: Float32Array },
): Promise<{ passage: Passage; quotedKeys: string[] }> {
  const chunk = retriever.index.chunks[candidate.label]!;
  const article = retriever.index.articles.find((a) => a.id === chunk.articleId);
  const sentences = window.sentences.map(([s, e]) => window.text.slice(s, e));
  // Word alignment finds the sentence with the question's words; the sentence's own embedding adds its gist.
  const sentenceVectors = sentences.length > 1 ? await embedder.embedPassages(sentences) : [];
  const type = expectedAnswerType(query.text);
  const scores = scoreSentences(sentences, query.words, retriever).map(
    (score, i) =>
      score +
      HIGHLIGHT_DENSE_WEIGHT * (sentenceVectors[i] ? dot(sentenceVectors[i], query.vector) : 0) +
      (type && holdsAnswerType(sentences[i]!, type) ? HIGHLIGHT_ANSWER_TYPE_BONUS : 0),
  );
  const composed = composePassage(window, scores);
  const quoted = { from: composed.first, to: composed.first + composed.sentences.length };
  const highlights = highlightSpans(composed.text, composed.sentences, pickHighlights(scores.slice(quoted.from, quoted.to)));
  const quotedRefs = window.sentenceRefs.slice(quoted.from, quoted.to);
  const passage: Passage = {
    text: composed.text,
    section: sectionLabel(chunk.articleTitle, chunk.sectionPath),
    citation: formatCitation(chunk.articleTitle, chunk.sectionPath, chunk.paragraph),
    ...(article?.sourceUrl ? { url: article.sourceUrl } : {}),
    score: Math.round(candidate.score * 1000) / 1000,
    highlights,
    articleId: chunk.articleId,
    articleTitle: chunk.articleTitle,
    sectionPath: chunk.sectionPath,
    paragraph: chunk.paragraph,
    chunkIds: [...new Set(quotedRefs.map((ref) => ref.chunkId))],
  };
  return { passage, quotedKeys: quotedRefs.map(sentenceKey) };
}

/** The picked sentences as exact spans of the passage; neighbouring sentences become one span, so they read as one highlight. */
function highlightSpans(text: string, sentences: string[], picked: number[]): string[] {
  const spans: Array<{ last: number; start: number; end: number }> = [];
  let cursor = 0;
  sentences.forEach((sentence, i) => {
    const start = text.indexOf(sentence, cursor);
    cursor = start + sentence.length;
    if (!picked.includes(i)) return;
    const previous = spans.at(-1);
    if (previous && previous.last === i - 1) Object.assign(previous, { last: i, end: cursor });
    else spans.push({ last: i, start, end: cursor });
  });
  return spans.map((span) => text.slice(span.start, span.end));
}

/** Candidates whose chunk text was not seen before (the same text in two places is quoted once). */
function distinctText(retriever: Retriever, candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const text = retriever.index.chunks[c.label]!.text;
    return !seen.has(text) && seen.add(text);
  });
}


function closestSections(retriever: Retriever, candidates: Candidate[]): string[] {
  const labels: string[] = [];
  for (const candidate of candidates) {
    const chunk = retriever.index.chunks[candidate.label]!;
    const label = [chunk.articleTitle, ...chunk.sectionPath].join(' › ');
    if (!labels.includes(label)) labels.push(label);
    if (labels.length === SUGGESTIONS) break;
  }
  return labels;
}
