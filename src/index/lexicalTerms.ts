import { lexicalTermsOf, tokenize } from '../text/tokens.ts';

/** A chunk's tokens (`tokenize`), made once: of its section's heading path, and of its text. */
export interface ChunkTokens {
  heading: readonly string[];
  text: readonly string[];
}

export function chunkTokens(chunk: { sectionPath: readonly string[]; text: string }): ChunkTokens {
  return { heading: tokenize(chunk.sectionPath.join(' ')), text: tokenize(chunk.text) };
}

/** Heading and body terms of a chunk: its section's heading path weighs more than its text (BM25 column weights). */
export function chunkTerms(tokens: ChunkTokens): { heading: string[]; body: string[] } {
  return { heading: lexicalTermsOf(tokens.heading), body: lexicalTermsOf(tokens.text) };
}

/** The distinct lexical terms of a title, sorted: two titles (or a title and a question) with the same terms meet. */
export function titleKey(terms: readonly string[]): string {
  return [...new Set(terms)].sort().join(' ');
}

/** A term as an FTS5 query string: quoted, so that no word is read as an operator. */
export function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** One-deletion variants of a term, for typo lookups ("yezhov" → "ezhov", "yzhov", "yehov", …). */
export function deletionVariants(term: string): string[] {
  const variants = new Set<string>();
  if (/[\uD800-\uDFFF]/.test(term)) {
    // Letters are code points: a term with surrogate pairs is cut between them, never inside one.
    const chars = [...term];
    for (let i = 0; i < chars.length; i++) variants.add(chars.slice(0, i).join('') + chars.slice(i + 1).join(''));
  } else {
    for (let i = 0; i < term.length; i++) variants.add(term.slice(0, i) + term.slice(i + 1));
  }
  variants.delete(term);
  return [...variants];
}
