/** Longest question we search for; longer text is almost always a paste, not a question. */
export const MAX_QUESTION_CHARS = 500;

export type NormalizedQuestion = { ok: true; text: string } | { ok: false; notice: string };

/**
 * Cleans what a user typed: control and zero-width characters go, whitespace collapses.
 * Unusable input gets a sentence telling the user what to do instead of a search.
 */
export function normalizeQuestion(raw: string): NormalizedQuestion {
  const text = raw
    .normalize('NFKC')
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') {
    return { ok: false, notice: 'Please ask a question about the articles, such as "Who …?", "When did … happen?" or "Why …?".' };
  }
  if (text.length > MAX_QUESTION_CHARS) {
    return {
      ok: false,
      notice: `That question is too long (${text.length.toLocaleString('en-US')} characters). Please ask in at most ${MAX_QUESTION_CHARS} characters.`,
    };
  }
  if (!/[\p{L}\p{N}]/u.test(text)) {
    return { ok: false, notice: 'That has no words to search for. Please ask a question in words, such as "Who …?" or "Why …?".' };
  }
  return { ok: true, text };
}
