import { lexicalTerm, questionTerms } from '../text/tokens.ts';
import type { ChunkRecord } from './types.ts';

/** Words that ask for the whole subject rather than a detail: "the Great Purge in a nutshell", "Great Purge summary". */
const OVERVIEW_WORDS = new Set(
  'nutshell summary summarize summarise summarized overview brief briefly short basically basic general gist intro introduction definition define defined tldr tl dr eli5 simple simply words few'
    .split(' ')
    .map((w) => lexicalTerm(w)),
);

/** An article's opening chunk and the terms of its title. */
export interface ArticleOpening<C> {
  chunk: C;
  titleTerms: string[];
}

/** The first chunk of each article (the opening of its lead section), with its title's terms. */
export function articleOpenings<C extends Pick<ChunkRecord, 'articleId' | 'articleTitle'>>(chunks: readonly C[]): Array<ArticleOpening<C>> {
  const openings = new Map<string, ArticleOpening<C>>();
  for (const chunk of chunks) {
    if (!openings.has(chunk.articleId)) openings.set(chunk.articleId, { chunk, titleTerms: terms(chunk.articleTitle) });
  }
  return [...openings.values()].filter((o) => o.titleTerms.length > 0);
}

/**
 * The opening to quote first when a question asks about an article's subject as a whole ("What was the Great
 * Purge?", "great purge summary"): every title word is in the question, and every other word only asks for an
 * overview. A question with a detail of its own ("When did the Great Purge end?") is left to retrieval.
 */
export function overviewOpening<C>(question: string, openings: ReadonlyArray<ArticleOpening<C>>): C | undefined {
  const asked = terms(question);
  for (const { chunk, titleTerms } of openings) {
    if (titleTerms.every((t) => asked.includes(t)) && asked.every((t) => titleTerms.includes(t) || OVERVIEW_WORDS.has(t))) return chunk;
  }
  return undefined;
}

function terms(text: string): string[] {
  return questionTerms(text)
    .map(lexicalTerm)
    .filter((t): t is string => t !== null);
}
