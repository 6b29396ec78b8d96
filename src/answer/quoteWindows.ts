import type { Span } from '../text/span.ts';
import type { ChunkRecord, ParagraphRecord } from '../retrieval/types.ts';

/**
 * The text a passage may quote from: a chunk with its neighbours in the same paragraph, so the best sentence
 * can be shown with the sentences around it even when the chunking cut between them.
 */
export interface QuoteWindow {
  /** Verbatim paragraph text from the window's first sentence to its last. */
  text: string;
  /** Sentences of `text` as [start, end) offsets. */
  sentences: Span[];
  /** Where each sentence comes from: its chunk and its index there. */
  sentenceRefs: SentenceRef[];
  /** True when the paragraph has text before / after the window (quoted with "…"). */
  continuesBefore: boolean;
  continuesAfter: boolean;
}

export interface SentenceRef {
  chunkId: string;
  index: number;
}

/** A sentence's identity as a string ("chunk id#index"), to remember what was already quoted. */
export function sentenceKey({ chunkId, index }: SentenceRef): string {
  return `${chunkId}#${index}`;
}

/** The chunk with the chunks just before and after it in its paragraph, as one verbatim window. */
export function windowAround(chunk: ChunkRecord, paragraph: ParagraphRecord | undefined): QuoteWindow {
  const at = paragraph ? paragraph.chunks.findIndex((member) => member.chunk.id === chunk.id) : -1;
  // A chunk is always a verbatim slice of its paragraph; without the paragraph, quote the chunk alone.
  if (!paragraph || at < 0) return chunkAlone(chunk);
  const sentences: Span[] = [];
  const sentenceRefs: SentenceRef[] = [];
  for (const { chunk: member, offset } of paragraph.chunks.slice(Math.max(0, at - 1), at + 2)) {
    member.sentences.forEach(([s, e], i) => {
      sentences.push([offset + s, offset + e]);
      sentenceRefs.push({ chunkId: member.id, index: i });
    });
  }
  return slice({ text: paragraph.text, sentences, sentenceRefs, continuesBefore: false, continuesAfter: false }, 0, sentences.length - 1);
}

/**
 * The part of a window that a new passage may quote: the run of not yet quoted sentences around the first
 * unquoted sentence of the ranked chunk itself. Undefined when all of that chunk was quoted already.
 */
export function unquotedPart(window: QuoteWindow, chunkId: string, quoted: ReadonlySet<string>): QuoteWindow | undefined {
  const free = (i: number) => !quoted.has(sentenceKey(window.sentenceRefs[i]!));
  const anchor = window.sentenceRefs.findIndex((ref, i) => ref.chunkId === chunkId && free(i));
  if (anchor < 0) return undefined;
  let first = anchor;
  let last = anchor;
  while (first > 0 && free(first - 1)) first--;
  while (last < window.sentences.length - 1 && free(last + 1)) last++;
  return slice(window, first, last);
}

/** Sentences first..last of a window, as a window of their own. */
function slice(window: QuoteWindow, first: number, last: number): QuoteWindow {
  const start = window.sentences[first]![0];
  const end = window.sentences[last]![1];
  return {
    text: window.text.slice(start, end),
    sentences: window.sentences.slice(first, last + 1).map(([s, e]) => [s - start, e - start]),
    sentenceRefs: window.sentenceRefs.slice(first, last + 1),
    continuesBefore: window.continuesBefore || window.text.slice(0, start).trim() !== '',
    continuesAfter: window.continuesAfter || window.text.slice(end).trim() !== '',
  };
}

function chunkAlone(chunk: ChunkRecord): QuoteWindow {
  return {
    text: chunk.text,
    sentences: chunk.sentences,
    sentenceRefs: chunk.sentences.map((_, index) => ({ chunkId: chunk.id, index })),
    continuesBefore: false,
    continuesAfter: false,
  };
}
