import type { Answer, Passage } from '../../answer/types.ts';
import type { Span } from '../../text/span.ts';
import { ELLIPSIS } from '../../text/marks.ts';
import { cutToFit, truncate, withEllipsis } from './cut.ts';
import { renderCitation } from './citationLink.ts';
import { LIMITS } from './limits.ts';
import { formatBold, formatQuote } from './quote.ts';

export interface RenderedAnswer {
  content: string;
  /** How many of the answer's passages made it into the message (the rest can come with "More passages"). */
  shown: number;
  /** Chunk ids of the passages shown. */
  chunkIds: string[];
}

/**
 * An answer should read on a phone without scrolling: about a screen of text. A passage's quote shows this much of
 * the text around the answering sentence, and a further passage is added only while the whole stays within the
 * screen (the rest waits for "More passages").
 */
const CONTEXT_CHARS = 420;
const SCREEN_CHARS = 1200;
/** Below this much room a further passage would be a stub, so it waits for "More passages" instead. */
const MIN_PASSAGE_ROOM = 280;
const SEPARATOR = '\n\n';

/** The sentences holding the passage's highlights (the sentence that answers), or its first sentence. */
function leadOf(passage: Passage): Span[] {
  const sentences = passage.sentenceSpans.length > 0 ? passage.sentenceSpans : [[0, passage.text.length] as Span];
  const holding = sentences.filter(([s, e]) => passage.highlightSpans.some(([hs, he]) => hs < e && he > s));
  return holding.length > 0 ? holding : [sentences[0]!];
}

/** The lead's text; sentences that do not touch are joined with " … ". */
function leadText(passage: Passage, lead: Span[]): string {
  const parts: string[] = [];
  let previousEnd = -1;
  for (const [s, e] of lead) {
    const text = passage.text.slice(s, e).trim();
    if (previousEnd >= 0 && passage.text.slice(previousEnd, s).trim() !== '') parts.push(ELLIPSIS);
    parts.push(text);
    previousEnd = e;
  }
  return parts.join(' ');
}

/**
 * The passage's text around the lead, whole sentences added before and after in turn while they fit in `budget`
 * characters, with "…" where text is left out; undefined when it would hold nothing but the lead (which is shown
 * already).
 */
function contextAround(passage: Passage, lead: Span[], budget: number): string | undefined {
  const sentences = passage.sentenceSpans.length > 0 ? passage.sentenceSpans : [[0, passage.text.length] as Span];
  let first = sentences.findIndex(([s]) => s >= lead[0]![0]);
  let last = sentences.findIndex(([, e]) => e >= lead.at(-1)![1]);
  if (first < 0 || last < first) [first, last] = [0, sentences.length - 1];
  // Nothing but the lead: its sentences, with none in between (two highlights apart have text between them).
  const onlyLead = () => last - first + 1 === lead.length;
  const length = (a: number, b: number) => sentences[b]![1] - sentences[a]![0];
  let grew = true;
  while (grew) {
    grew = false;
    if (first > 0 && length(first - 1, last) <= budget) {
      first--;
      grew = true;
    }
    if (last < sentences.length - 1 && length(first, last + 1) <= budget) {
      last++;
      grew = true;
    }
  }
  if (onlyLead()) return undefined;
  const start = sentences[first]![0];
  const end = sentences[last]![1];
  const before = passage.text.slice(0, start).trim() ? `${ELLIPSIS} ` : '';
  const after = passage.text.slice(end).trim() ? ` ${ELLIPSIS}` : '';
  return `${before}${passage.text.slice(start, end).trim()}${after}`;
}

/**
 * One passage: the sentence that answers, in bold (the only bold), then the passage around it as a quote, then the
 * citation, linked so that a click lands on that sentence. Shortened (less context, then a cut lead) to fit `max`.
 */
export function renderPassage(passage: Passage, max: number, contextChars = CONTEXT_CHARS): string | undefined {
  const lead = leadOf(passage);
  const leadQuote = leadText(passage, lead);
  const citation = renderCitation(passage.citation, passage.url, leadQuote);
  for (const budget of [contextChars, Math.floor(contextChars / 2), 0]) {
    const context = contextAround(passage, lead, budget);
    const quote = context === undefined ? '' : `\n${formatQuote(context)}`;
    const block = `${formatBold(leadQuote)}${quote}\n${citation}`;
    if (block.length <= max) return block;
  }
  // Even the lead alone is too long: cut it at a word, never inside the bold.
  const room = max - citation.length - 1;
  if (room <= 8) return undefined;
  const kept = cutToFit(leadQuote, room, (s) => formatBold(s).length);
  if (!kept.text) return undefined;
  const bold = formatBold(kept.cut ? withEllipsis(kept.text) : kept.text);
  return bold.length <= room ? `${bold}\n${citation}` : undefined;
}

/** "A", "A and B", "A, B and C". */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export function renderAbstention(answer: Answer): string {
  const near = answer.nearMiss;
  const lines =
    near && near.mentioned.length > 0 && near.missing.length > 0
      ? [`The article mentions ${listOf(near.mentioned)}, but not ${listOf(near.missing)}.`]
      : ["The article doesn't seem to cover that."];
  if (answer.suggestions.length > 0) {
    lines.push('Closest sections:', ...answer.suggestions.slice(0, 5).map((s) => `• ${s}`));
    lines.push('Try rephrasing, or use `/lookup` to read a section.');
  } else {
    lines.push('Try rephrasing, or use `/sections` to see what it covers.');
  }
  return truncate(lines.join('\n'), LIMITS.content);
}

/**
 * The whole reply to a question: the engine's passages in order, each led by its answering sentence, as many as fit a
 * phone screen (always the first), within Discord's 2,000 characters.
 */
export function renderAnswer(answer: Answer, max: number = LIMITS.content): RenderedAnswer {
  if (answer.notice) return { content: truncate(answer.notice, max), shown: 0, chunkIds: [] };
  if (answer.abstained || answer.passages.length === 0) return { content: renderAbstention(answer), shown: 0, chunkIds: [] };

  const blocks: string[] = [];
  const chunkIds: string[] = [];
  let used = 0;
  for (const passage of answer.passages) {
    const room = blocks.length === 0 ? max : Math.min(max, SCREEN_CHARS) - used - SEPARATOR.length;
    if (blocks.length > 0 && room < MIN_PASSAGE_ROOM) break;
    const block = renderPassage(passage, room);
    if (!block) break;
    used += block.length + (blocks.length > 0 ? SEPARATOR.length : 0);
    blocks.push(block);
    chunkIds.push(...passage.chunkIds);
  }
  return { content: blocks.join(SEPARATOR), shown: blocks.length, chunkIds };
}
