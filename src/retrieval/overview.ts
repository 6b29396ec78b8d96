import { titleKey } from '../index/lexicalTerms.ts';
import { lexicalTerms } from '../text/tokens.ts';
import { lexicalTerm } from '../text/tokens.ts';

/** Words that ask for the whole subject rather than a detail: "the Great Purge in a nutshell", "Great Purge summary". */
const OVERVIEW_WORDS = new Set(
  'nutshell summary summarize summarise summarized overview brief briefly short basically basic general gist intro introduction definition define defined tldr tl dr eli5 simple simply words few'
    .split(' ')
    .map((w) => lexicalTerm(w)),
);

/**
 * The title keys (see the index's `articles.title_key`) a question would match if it asks about an article's subject
 * as a whole ("What was the Great Purge?", "great purge summary"): its terms, and its terms without the words that only
 * ask for an overview. A question with a detail of its own ("When did the Great Purge end?") matches no title.
 */
export function overviewKeys(question: string): string[] {
  const terms = lexicalTerms(question);
  const keys = [titleKey(terms), titleKey(terms.filter((t) => !OVERVIEW_WORDS.has(t)))].filter((k) => k !== '');
  return [...new Set(keys)];
}
