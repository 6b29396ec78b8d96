import type { Answer, Passage } from '../../answer/types.ts';
import { cutToFit, truncate, withEllipsis } from './cut.ts';
import { renderCitation } from './citationLink.ts';
import { LIMITS } from './limits.ts';
import { formatQuote } from './quote.ts';

export interface RenderedAnswer {
  content: string;
  /** How many of the answer's passages made it into the message (the rest can come with "More passages"). */
  shown: number;
  /** Chunk ids of the passages shown. */
  chunkIds: string[];
}

/** Below this many characters a further passage would be a stub, so it waits for "More passages" instead. */
const MIN_PASSAGE_ROOM = 280;
const SEPARATOR = '\n\n';

/** One passage as a quote with its highlights in bold, cut at a sentence so the block fits in `max`. */
export function renderPassage(passage: Passage, max: number): string | undefined {
  const citation = renderCitation(passage.citation, passage.url);
  const room = max - citation.length - 1;
  if (room <= 2) return undefined;
  const ranges = passage.highlightSpans;
  // Bold stops where the kept text stops, so the added "…" is never inside it.
  const render = (text: string, keptLength = text.length) =>
    formatQuote(text, ranges.map(([a, b]) => [a, Math.min(b, keptLength)] as const));
  const kept = cutToFit(passage.text, room, (s) => render(s).length, passage.sentenceSpans.map(([, end]) => end));
  const quote = kept.cut ? render(withEllipsis(kept.text), kept.text.length) : render(kept.text);
  if (quote.length > room) return undefined;
  return `${quote}\n${citation}`;
}

export function renderAbstention(answer: Answer): string {
  const lines = ["The article doesn't seem to cover that."];
  if (answer.suggestions.length > 0) {
    lines.push('Closest sections:', ...answer.suggestions.slice(0, 5).map((s) => `• ${s}`));
    lines.push('Try rephrasing, or use `/lookup` to read a section.');
  } else {
    lines.push('Try rephrasing, or use `/sections` to see what it covers.');
  }
  return truncate(lines.join('\n'), LIMITS.content);
}

/** The whole reply to a question, within Discord's 2,000 characters. */
export function renderAnswer(answer: Answer, max: number = LIMITS.content): RenderedAnswer {
  if (answer.notice) return { content: truncate(answer.notice, max), shown: 0, chunkIds: [] };
  if (answer.abstained || answer.passages.length === 0) return { content: renderAbstention(answer), shown: 0, chunkIds: [] };

  const blocks: string[] = [];
  const chunkIds: string[] = [];
  let used = 0;
  for (const passage of answer.passages) {
    const room = max - used - (blocks.length > 0 ? SEPARATOR.length : 0);
    if (blocks.length > 0 && room < MIN_PASSAGE_ROOM) break;
    const block = renderPassage(passage, room);
    if (!block) break;
    used += block.length + (blocks.length > 0 ? SEPARATOR.length : 0);
    blocks.push(block);
    chunkIds.push(...passage.chunkIds);
  }
  return { content: blocks.join(SEPARATOR), shown: blocks.length, chunkIds };
}
