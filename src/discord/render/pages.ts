import { escapeMarkdown } from 'discord.js';
import type { SectionInfo, SectionText } from '../../retrieval/types.ts';
import { cutToFit, truncate } from './cut.ts';
import { LIMITS } from './limits.ts';
import { formatQuote } from './quote.ts';

/**
 * Splits text into pages whose rendered form (`render`) fits in `max`, breaking at the given sentence ends (offsets
 * into `text`, ascending), never mid-word. Always returns at least one page.
 */
export function paginate(text: string, max: number, render: (page: string) => string, sentenceEnds: readonly number[]): string[] {
  const pages: string[] = [];
  let from = 0;
  const skipSpace = () => {
    while (from < text.length && /\s/u.test(text[from]!)) from++;
  };
  skipSpace();
  while (from < text.length) {
    const rest = text.slice(from);
    const ends = sentenceEnds.filter((end) => end > from).map((end) => end - from);
    const kept = cutToFit(rest, max, (s) => render(s).length, ends);
    // cutToFit measures with a trailing "…"; a page break needs none, so the kept text always fits.
    const page = kept.text.length > 0 ? kept.text : rest.slice(0, 1);
    pages.push(page);
    from += page.length;
    skipSpace();
  }
  return pages.length > 0 ? pages : [''];
}

export interface SectionPage {
  content: string;
  page: number;
  pageCount: number;
}

function sectionHeader(section: SectionInfo): string {
  const title = `**${escapeMarkdown(section.label)}**`;
  return section.url ? `${title} (<${section.url}>)` : title;
}

/** One page of a section's verbatim text, quoted, with its heading and "Page i/n" when there are several. */
export function renderSectionPage(section: SectionInfo, body: SectionText, page: number, max: number = LIMITS.content): SectionPage {
  const header = truncate(sectionHeader(section), 300);
  const footerRoom = 20; // "\nPage 99/99"
  const bodyMax = max - header.length - 1 - footerRoom;
  const pages = body.text ? paginate(body.text, bodyMax, (p) => formatQuote(p), body.sentenceEnds) : ['(This section has no text.)'];
  const index = Math.min(Math.max(page, 0), pages.length - 1);
  const footer = pages.length > 1 ? `\nPage ${index + 1}/${pages.length}` : '';
  return { content: `${header}\n${formatQuote(pages[index]!)}${footer}`, page: index, pageCount: pages.length };
}

/** Table of contents lines: one bullet per section, indented by depth, article titles in bold. */
export function tableOfContentsLines(sections: readonly SectionInfo[]): string[] {
  const lines: string[] = [];
  let article = '';
  for (const s of sections) {
    if (s.articleId !== article) {
      article = s.articleId;
      lines.push(`**${escapeMarkdown(s.articleTitle)}**`);
    }
    if (s.sectionPath.length === 0) continue;
    const indent = '  '.repeat(s.sectionPath.length - 1);
    const heading = escapeMarkdown(s.sectionPath.at(-1)!);
    lines.push(`${indent}- ${heading}${s.isReference ? ' *(references)*' : ''}`);
  }
  return lines;
}

/** Groups lines into pages of at most `max` characters (a single over-long line is truncated). */
export function pageLines(lines: readonly string[], max: number): string[] {
  const pages: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current && current.length + 1 + line.length > max) {
      pages.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current || pages.length === 0) pages.push(current);
  return pages;
}

export function renderTableOfContents(sections: readonly SectionInfo[], page: number, max: number = LIMITS.content): SectionPage {
  if (sections.length === 0) return { content: 'The index has no sections yet.', page: 0, pageCount: 1 };
  const footerRoom = 20;
  const pages = pageLines(tableOfContentsLines(sections), max - footerRoom);
  const index = Math.min(Math.max(page, 0), pages.length - 1);
  const footer = pages.length > 1 ? `\nPage ${index + 1}/${pages.length}` : '';
  return { content: pages[index]! + footer, page: index, pageCount: pages.length };
}
