import type { StoredArticle, StoredChunk } from '../index/storedIndex.ts';

/**
 * The text a passage may quote from: a chunk with its neighbours in the same paragraph, so the best sentence
 * can be shown with the sentences around it even when the chunking cut between them.
 */
export interface QuoteWindow {
  /** Verbatim paragraph text from the window's first sentence to its last. */
  text: string;
  /** Sentences of `text` as [start, end) offsets. */
  sentences: Array<[number, number]>;
  /** Id of the chunk each sentence comes from. */
  sentenceChunkIds: string[];
  /** True when the paragraph has text before / after the window (quoted with "…"). */
  continuesBefore: boolean;
  continuesAfter: boolean;
}

function sameParagraph(a: StoredChunk | undefined, b: StoredChunk): boolean {
  return a !== undefined && a.articleId === b.articleId && a.sectionIndex === b.sectionIndex && a.paragraph === b.paragraph;
}

/** A ranked chunk and the run of chunk labels (itself and free neighbours, in text order) it may quote. */
export interface ClaimedWindow {
  label: number;
  labels: number[];
}

/**
 * Assigns each ranked chunk the neighbours it may quote: itself plus the chunks just before and after it in
 * its paragraph that no better-ranked window has taken. A chunk already taken gets no window of its own,
 * so no two passages repeat the same text. Returns the windows in rank order.
 */
export function claimWindows(chunks: StoredChunk[], rankedLabels: number[]): ClaimedWindow[] {
  const claimed = new Set<number>();
  const windows: ClaimedWindow[] = [];
  for (const label of rankedLabels) {
    if (claimed.has(label)) continue;
    const chunk = chunks[label]!;
    const free = (l: number) => !claimed.has(l) && sameParagraph(chunks[l], chunk);
    const labels = [...(free(label - 1) ? [label - 1] : []), label, ...(free(label + 1) ? [label + 1] : [])];
    for (const l of labels) claimed.add(l);
    windows.push({ label, labels });
  }
  return windows;
}

/** The verbatim text of a window (consecutive chunks of one paragraph) with its sentences. */
export function windowText(chunks: StoredChunk[], { label, labels }: ClaimedWindow, articles: StoredArticle[]): QuoteWindow {
  const first = chunks[labels[0]!]!;
  const paragraph = articles.find((a) => a.id === first.articleId)?.sections[first.sectionIndex]?.paragraphs[first.paragraph - 1];
  const sentences: Array<[number, number]> = [];
  const sentenceChunkIds: string[] = [];
  let offset = 0;
  for (const chunk of labels.map((l) => chunks[l]!)) {
    offset = paragraph?.indexOf(chunk.text, offset) ?? -1;
    // A chunk is always a verbatim slice of its paragraph; without the paragraph, quote the chunk alone.
    if (paragraph === undefined || offset < 0) return chunkAlone(chunks[label]!);
    for (const [s, e] of chunk.sentences) {
      sentences.push([offset + s, offset + e]);
      sentenceChunkIds.push(chunk.id);
    }
  }
  const start = sentences[0]![0];
  const end = sentences.at(-1)![1];
  return {
    text: paragraph!.slice(start, end),
    sentences: sentences.map(([s, e]) => [s - start, e - start]),
    sentenceChunkIds,
    continuesBefore: paragraph!.slice(0, start).trim() !== '',
    continuesAfter: paragraph!.slice(end).trim() !== '',
  };
}

function chunkAlone(chunk: StoredChunk): QuoteWindow {
  return { text: chunk.text, sentences: chunk.sentences, sentenceChunkIds: chunk.sentences.map(() => chunk.id), continuesBefore: false, continuesAfter: false };
}
