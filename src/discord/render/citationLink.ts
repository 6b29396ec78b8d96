import { escapeMarkdown } from 'discord.js';

/** Sentences up to this many words are matched whole; longer ones by their first and last words. */
const WHOLE_SENTENCE_WORDS = 6;
const EDGE_WORDS = 3;

const percent = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Percent-encodes a term of a text directive: what encodeURIComponent leaves alone and the directive or Discord's
 * markdown would read as syntax ("-" marks a prefix or suffix, "(" ")" end a masked link) is encoded too.
 */
function encodeTerm(text: string): string {
  return encodeURIComponent(text).replace(/[-!'()*~]/g, percent);
}

/**
 * The URL with a text fragment (https://wicg.github.io/scroll-to-text-fragment/): a browser opening it scrolls to and
 * marks `quoted`. A short sentence is matched whole (`#:~:text=start`), a long one by its first and last words
 * (`#:~:text=start,end`), which survives small differences between the article's text and the page's.
 */
export function withTextFragment(url: string, quoted: string): string {
  const words = quoted.replace(/^[\s…]+|[\s…]+$/g, '').split(/\s+/).filter(Boolean);
  if (words.length === 0) return url;
  const directive =
    words.length <= WHOLE_SENTENCE_WORDS
      ? encodeTerm(words.join(' '))
      : `${encodeTerm(words.slice(0, EDGE_WORDS).join(' '))},${encodeTerm(words.slice(-EDGE_WORDS).join(' '))}`;
  return `${url}${url.includes('#') ? '' : '#'}:~:text=${directive}`;
}

/**
 * "— [Great Purge › Purge of the army ¶2](<url>)": a masked link whose <> keeps Discord from adding a preview; with
 * `quoted`, the link lands on that sentence.
 */
export function renderCitation(citation: string, url?: string, quoted?: string): string {
  const label = escapeMarkdown(citation).replace(/[[\]]/g, (c) => `\\${c}`);
  if (!url || !/^https?:\/\//.test(url)) return `— *${label}*`;
  const safeUrl = url.replace(/[()<> ]/g, percent);
  return `— [${label}](<${quoted ? withTextFragment(safeUrl, quoted) : safeUrl}>)`;
}
