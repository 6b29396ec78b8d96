import type { Embedder } from '../embeddings/types.ts';
import { dot } from '../embeddings/vectors.ts';
import type { Tuning } from '../config/tuning.ts';
import type { Span } from '../text/span.ts';
import type { Retriever } from '../retrieval/retriever.ts';
import type { ChunkRecord, IndexInfo, PreparedQuery, RankedChunk, SectionInfo, SectionText, SentenceMatch } from '../retrieval/types.ts';
import { alignmentScore } from '../retrieval/wordAlignment.ts';
import { questionTerms } from '../text/tokens.ts';
import { holdsAnswerType, expectedAnswerType } from '../retrieval/answerType.ts';
import type { Answer, AnswerOptions, Passage } from './types.ts';
import { normalizeQuestion } from './normalizeQuestion.ts';
import { contextWords, leansOnContext, personPointer, resolveReference } from './followUp.ts';
import { highlightedSentences } from './highlights.ts';
import { composePassage } from './composePassage.ts';
import { sentenceKey, unquotedPart, type QuoteWindow, type SentenceRef } from './quoteWindows.ts';
import { readCandidates, readingWindow, type Reading } from './reader.ts';
import { judgeAnswerability } from './answerability.ts';
import { isConfident } from './confidence.ts';
import { citationOf, sectionLabel, sectionTrail } from './citation.ts';

export interface EngineOptions {
  maxPassages: number;
  historyTurns: number;
  tuning: Tuning;
}

/** The one answer engine that Discord, the terminal, the evaluation and the tests all use (see service/liveEngine.ts). */
export interface AnswerEngine {
  answer(question: string, options?: AnswerOptions): Promise<Answer>;
  /** Table of contents of the corpus, in article order. */
  sections(): SectionInfo[];
  /** A section's verbatim text (undefined when the index no longer has it). */
  sectionText(section: Pick<SectionInfo, 'articleId' | 'sectionIndex'>): SectionText | undefined;
  /** Describes the index in use (for logs and /reindex replies). */
  stats(): IndexInfo;
}

/** Answers questions from whichever index it is given (the live engine hands it the one serving). */
export interface Reader {
  answer(retriever: Retriever, question: string, options?: AnswerOptions): Promise<Answer>;
}

/** Ranked chunks an answer's trace lists. */
const TRACED = 20;

/** The reader: question (+ conversation) in, verbatim passages with citations out. */
export function createReader(embedder: Embedder, options: EngineOptions): Reader {
  const { tuning } = options;
  const { reader } = tuning;

  async function answer(retriever: Retriever, rawQuestion: string, answerOptions: AnswerOptions = {}): Promise<Answer> {
    const started = performance.now();
    const normalized = normalizeQuestion(rawQuestion);
    const finish = (partial: Omit<Answer, 'timings' | 'question'>): Answer => ({
      question: rawQuestion,
      ...partial,
      timings: { totalMs: Math.round((performance.now() - started) * 10) / 10 },
    });
    if (!normalized.ok) {
      return finish({ abstained: true, passages: [], suggestions: [], notice: normalized.notice, searchedFor: '', hasMore: false });
    }
    const question = normalized.text;
    const history = options.historyTurns > 0 ? (answerOptions.history ?? []).slice(-options.historyTurns) : [];
    const search = async (text: string, context: string[]) => {
      const query = await retriever.prepare(text, context, tuning.retrieval);
      return { query, ranked: retriever.search(query, tuning.retrieval) };
    };
    // "Who replaced him?" with no conversation before it: there is no one "him" can be, and a quote about someone
    // else would read as an answer.
    const pointer = history.length === 0 ? personPointer(question) : undefined;
    if (pointer && retriever.analyze(question).entities.length === 0) {
      const notice = `Who is “${pointer}”? Ask again with the name, or as a follow-up in the conversation that named them (in Discord: in its thread, or as a reply to that answer).`;
      return finish({ abstained: true, passages: [], suggestions: [], notice, searchedFor: '', hasMore: false });
    }
    // "Who replaced him?" after an answer that named Yezhov is "Who replaced Yezhov?". Otherwise a question that
    // leans on the conversation is searched with it; one that stands on its own is searched alone, and with the
    // conversation only when alone it finds nothing convincing.
    const inContext = () => contextWords(question, history, reader.maxContextTerms);
    const resolved = resolveReference(question, history, (turn) => retriever.analyze(turn.question));
    const leans = history.length > 0 && leansOnContext(question);
    let result = resolved ? await search(resolved, []) : await search(question, leans ? inContext() : []);
    if (!resolved && !leans && history.length > 0 && !isConfident(result.ranked[0], reader.abstain)) {
      const withContext = await search(question, inContext());
      if (isConfident(withContext.ranked[0], reader.abstain)) result = withContext;
    }
    const { query, ranked } = result;
    const suggestions = closestSections(ranked, reader.suggestions);
    const trace = answerOptions.trace
      ? { trace: { ranked: ranked.slice(0, TRACED).map((r) => ({ chunkId: r.chunk.id, text: r.chunk.text, score: r.score })) } }
      : {};

    if (!isConfident(ranked[0], reader.abstain)) {
      return finish({ abstained: true, passages: [], suggestions, searchedFor: query.text, hasMore: false, ...trace });
    }
    const readings = readCandidates(retriever, query, ranked, tuning);
    const answerability = judgeAnswerability(retriever, query, readings, tuning);
    if (!answerability.answerable) {
      const nearMiss = answerability.mentioned.length > 0 ? { nearMiss: { mentioned: answerability.mentioned, missing: answerability.missing } } : {};
      return finish({ abstained: true, passages: [], suggestions, searchedFor: query.text, hasMore: false, ...nearMiss, ...trace });
    }
    const best = readings[0]!.score;
    const shown = readings.filter((r) => r.score >= reader.minRelativeScore * best);
    const skip = answerOptions.skip ?? 0;
    const limit = answerOptions.maxPassages ?? options.maxPassages;
    // Passages are composed best first, each from what the earlier ones did not quote, so no sentence is shown
    // twice; "More passages" (skip) composes the earlier pages again to know what they quoted.
    const quoted = new Set<string>();
    const passages: Passage[] = [];
    let answerNames: string[] = [];
    let hasMore = false;
    const sectionOf = ({ candidate: { chunk } }: Reading) => `${chunk.articleId}#${chunk.sectionIndex}`;
    const firstSection = sectionOf(shown[0]!);
    for (const reading of distinctText(shown)) {
      const part = unquotedPart(readingWindow(retriever, reading), reading.candidate.chunk.id, quoted);
      if (!part) continue;
      // The first answer shows a second or third passage only when it is nearly as good, or as good and from another
      // section; the rest wait for "More passages".
      const worthShowing = reading.score >= reader.passages.close * best || (sectionOf(reading) !== firstSection && reading.score >= reader.passages.otherSection * best);
      if (passages.length === skip + limit || (skip === 0 && passages.length > 0 && !worthShowing)) {
        hasMore = true;
        break;
      }
      const { passage, quotedKeys, names } = await toPassage(retriever, reading, part, query);
      if (passages.length === 0) answerNames = names;
      for (const key of quotedKeys) quoted.add(key);
      passages.push(passage);
    }
    return finish({ abstained: false, passages: passages.slice(skip), suggestions, searchedFor: query.text, answerNames, hasMore, ...trace });
  }

  async function toPassage(
    retriever: Retriever,
    reading: Reading,
    window: QuoteWindow,
    query: PreparedQuery,
  ): Promise<{ passage: Passage; quotedKeys: string[]; names: string[] }> {
    const { candidate } = reading;
    const { chunk } = candidate;
    const sentences = window.sentences.map(([s, e]) => window.text.slice(s, e));
    // Word alignment finds the sentence with the question's words; the sentence's own embedding adds its gist.
    const sentenceVectors = sentences.length > 1 ? await embedder.embedPassages(sentences) : [];
    const type = expectedAnswerType(query.question);
    const members = new Map((retriever.paragraphOf(chunk)?.chunks ?? []).map((m) => [m.chunk.id, m.chunk]));
    members.set(chunk.id, chunk);
    const matches = new Map<string, SentenceMatch[]>();
    // A follow-up's highlight is the sentence that meets its own words: the words carried over from earlier turns
    // found the passage, but would keep the highlight on the sentence that answered the previous question.
    const ownWords = query.words.map((w) => (query.context.has(w.word) ? { ...w, weight: 0 } : w));
    const matchOf = ({ chunkId, index }: SentenceRef): SentenceMatch => {
      const member = members.get(chunkId);
      if (!member) return new Float32Array(query.words.length);
      const ofChunk = matches.get(chunkId) ?? matches.set(chunkId, retriever.sentenceMatches(query, member)).get(chunkId)!;
      return ofChunk[index] ?? new Float32Array(query.words.length);
    };
    const continues = window.sentenceRefs.map((ref) => members.get(ref.chunkId)?.facts[ref.index]?.continues === true);
    // A sentence that leans on the one before it is aligned with both, as the reader reads it: "The commission was
    // headed by John Dewey" answers who chaired the inquiry the sentence before it named.
    const alignmentOf = (i: number) => {
      const own = matchOf(window.sentenceRefs[i]!);
      if (!continues[i] || i === 0) return alignmentScore(ownWords, own);
      const before = matchOf(window.sentenceRefs[i - 1]!);
      return alignmentScore(ownWords, Array.from(own, (m, q) => Math.max(m, before[q] ?? 0)));
    };
    const scores = sentences.map(
      (sentence, i) =>
        alignmentOf(i) +
        reader.highlight.denseWeight * (sentenceVectors[i] ? dot(sentenceVectors[i], query.vector) : 0) +
        (type && holdsAnswerType(sentence, type) ? reader.highlight.answerTypeBonus : 0) +
        reader.highlight.readerWeight * (reading.scores.get(sentenceKey(window.sentenceRefs[i]!)) ?? 0),
    );
    const composed = composePassage(window, scores, reader.maxPassageChars, continues);
    const count = composed.sentenceSpans.length;
    const quotedRefs = window.sentenceRefs.slice(composed.first, composed.first + count);
    const picked = highlightedSentences(
      scores.slice(composed.first, composed.first + count),
      continues.slice(composed.first, composed.first + count),
      { secondRatio: reader.highlight.secondRatio, yesNo: query.analysis.answerType === 'yesno', yesNoNeighbour: reader.highlight.yesNoNeighbour },
    );
    const highlightSpans = mergeNeighbours(picked, composed.sentenceSpans);
    const url = retriever.sourceUrl(chunk.articleId);
    const passage: Passage = {
      text: composed.text,
      section: sectionLabel(chunk.articleTitle, chunk.sectionPath),
      citation: citationOf(chunk.articleTitle, chunk.sectionPath, chunk.paragraph),
      ...(url ? { url } : {}),
      score: Math.round(candidate.score * 1000) / 1000,
      highlights: highlightSpans.map(([s, e]) => composed.text.slice(s, e)),
      highlightSpans,
      sentenceSpans: composed.sentenceSpans,
      elided: composed.elided,
      articleId: chunk.articleId,
      articleTitle: chunk.articleTitle,
      sectionPath: chunk.sectionPath,
      paragraph: chunk.paragraph,
      chunkIds: [...new Set(quotedRefs.map((ref) => ref.chunkId))],
    };
    // The best-answering highlighted sentence first: its names are what "he" or "the new guy" most likely points to.
    const highlighted = picked.map((i) => quotedRefs[i]!);
    const byScore = [...highlighted].sort((a, b) => (reading.scores.get(sentenceKey(b)) ?? 0) - (reading.scores.get(sentenceKey(a)) ?? 0));
    const names = query.analysis.answerType === 'person' ? namesGiven(retriever, chunk, byScore, query) : [];
    return { passage, quotedKeys: quotedRefs.map(sentenceKey), names };
  }

  return { answer };
}

/**
 * The people the highlighted sentences (`refs`, best first) name that the query does not (at most three): who "he"
 * is in the next question.
 */
function namesGiven(retriever: Retriever, chunk: ChunkRecord, refs: readonly SentenceRef[], query: PreparedQuery): string[] {
  const chunks = new Map<string, ChunkRecord>((retriever.paragraphOf(chunk)?.chunks ?? []).map((member) => [member.chunk.id, member.chunk]));
  chunks.set(chunk.id, chunk);
  const names: string[] = [];
  for (const ref of refs) {
    const facts = chunks.get(ref.chunkId)?.facts[ref.index] ?? {};
    for (const name of facts.person ?? []) {
      const words = questionTerms(name);
      // "Yezhov" after "Nikolai Yezhov" is the same person.
      const known = (w: string) => query.terms.includes(w) || names.some((n) => questionTerms(n).includes(w));
      if (words.length > 0 && !words.every(known)) names.push(name);
    }
  }
  return names.slice(0, 3);
}

/** The picked sentences as spans; neighbouring sentences become one span, so they read as one highlight. */
function mergeNeighbours(picked: readonly number[], sentenceSpans: readonly Span[]): Span[] {
  const spans: Array<{ last: number; span: Span }> = [];
  for (const i of picked) {
    const previous = spans.at(-1);
    if (previous && previous.last === i - 1) {
      previous.last = i;
      previous.span = [previous.span[0], sentenceSpans[i]![1]];
    } else {
      spans.push({ last: i, span: [...sentenceSpans[i]!] });
    }
  }
  return spans.map((s) => s.span);
}

/** Readings whose chunk text was not seen before (the same text in two places is quoted once). */
function distinctText(readings: readonly Reading[]): Reading[] {
  const seen = new Set<string>();
  return readings.filter((r) => !seen.has(r.candidate.chunk.text) && seen.add(r.candidate.chunk.text));
}

function closestSections(ranked: readonly RankedChunk[], count: number): string[] {
  const labels: string[] = [];
  for (const { chunk } of ranked) {
    const label = sectionTrail(chunk.articleTitle, chunk.sectionPath);
    if (!labels.includes(label)) labels.push(label);
    if (labels.length === count) break;
  }
  return labels;
}
