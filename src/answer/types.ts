import type { Span } from '../text/span.ts';

/** One quoted passage of an answer: verbatim article text with where it comes from. */
export interface Passage {
  /** Exact text quoted from the article (one chunk or adjacent chunks of a paragraph; elisions marked with "…"). */
  text: string;
  /** Section heading path as one string, e.g. "Purge of the army" (the lead section uses the article title). */
  section: string;
  /** Citation as shown to users: "Great Purge › Purge of the army ¶2". */
  citation: string;
  /** Source URL of the article, when it has one. */
  url?: string;
  /** Relevance score (higher is better). */
  score: number;
  /** The sentence or two of `text` that best answer the question, copied exactly from `text`. */
  highlights: string[];
  /** Where each highlight is in `text`, as [start, end) offsets, in the same order as `highlights`. */
  highlightSpans: Span[];
  /** Where each quoted sentence is in `text`, as [start, end) offsets. */
  sentenceSpans: Span[];
  /** Whether paragraph text is left out before / after the quote (then `text` starts "… " / ends " …"). */
  elided: { before: boolean; after: boolean };
  articleId: string;
  articleTitle: string;
  sectionPath: string[];
  paragraph: number;
  chunkIds: string[];
}

export interface Answer {
  question: string;
  /** True when the article does not seem to answer the question (or the question is unusable). */
  abstained: boolean;
  /** Best first; empty when abstained. */
  passages: Passage[];
  /** When abstaining: the closest sections ("Great Purge › Victim toll"), to help the user rephrase. */
  suggestions: string[];
  /**
   * When abstaining on a near miss: what the article does name from the question, and what it does not say about
   * it ("it mentions Yezhov, but not when he was born"). Absent for unrelated questions and unusable input.
   */
  nearMiss?: { mentioned: string[]; missing: string[] };
  /** Set when the question itself is unusable (empty, too long, no words): a sentence to show the user. */
  notice?: string;
  /** The query actually searched (differs from `question` for follow-ups that needed earlier turns). */
  searchedFor: string;
  /**
   * The people the first passage's highlight names that the question did not, best sentence first: who "he" is in a
   * follow-up ("Who headed the NKVD?" → Nikolai Yezhov; "Who replaced him?").
   */
  answerNames?: string[];
  /** True when more passages are available (for "More passages"). */
  hasMore: boolean;
  timings: { totalMs: number };
  /** With `trace`: the best chunks retrieval ranked, before passages were composed (for `npm run eval`). */
  trace?: { ranked: Array<{ chunkId: string; text: string; score: number }> };
}

/** One earlier exchange of a conversation. */
export interface Turn {
  question: string;
  /** What was searched for that turn (resolved question); lets follow-ups chain. */
  searchedFor?: string;
  /** The people that turn's answer named (`Answer.answerNames`): who "he", "they" or "the new guy" are. */
  names?: string[];
}

export interface AnswerOptions {
  /** Earlier turns of the conversation, oldest first. Bounded by the engine. */
  history?: Turn[];
  /** How many passages to return (default from config, 3). */
  maxPassages?: number;
  /** Skip this many passages (for "More passages"). */
  skip?: number;
  /** Also return the ranked chunks (`Answer.trace`), to tell retrieval misses from quoting misses. */
  trace?: boolean;
}
