import type { Span } from '../text/span.ts';

/** A retrievable unit: whole sentences of one section, never crossing a section boundary. */
export interface Chunk {
  /** Stable id: hash of article id, section path and text. */
  id: string;
  articleId: string;
  articleTitle: string;
  /** Heading path of the section; `[]` for the lead. */
  sectionPath: string[];
  /** Position of the section in its article (0 = lead). */
  sectionIndex: number;
  /** 1-based paragraph number inside the section. */
  paragraph: number;
  /** Position of the chunk in its article (0-based), so neighbours can be found. */
  order: number;
  /** Verbatim text: `article.source.slice(start, end) === text`. */
  text: string;
  start: number;
  end: number;
  /** Sentence boundaries inside `text`, as [start, end) offsets relative to `text`. */
  sentences: Span[];
  /** True for reference lists, which are not preferred as answers. */
  isReference: boolean;
}
