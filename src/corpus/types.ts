/** One paragraph of a section: verbatim text of the source file. List items stay with the sentence that introduces them. */
export interface Paragraph {
  /** Exact slice of the source file: `article.source.slice(start, end) === text`. */
  text: string;
  start: number;
  end: number;
}

export interface Section {
  /** Heading as written in the article; the lead section (text before the first heading) uses the article title. */
  heading: string;
  /** Headings from the top level down, e.g. ["Purge of the army"]; `[]` for the lead section. */
  path: string[];
  /** Reference lists ("Further reading", "External links", "References", …): indexed but not preferred as answers. */
  isReference: boolean;
  paragraphs: Paragraph[];
}

export interface Article {
  /** Stable id derived from the file name, e.g. "great-purge". */
  id: string;
  title: string;
  /** Where the article comes from, when known (front matter `source:` or a first line that is a URL). */
  sourceUrl?: string;
  /** Path of the file relative to the corpus folder. */
  file: string;
  /** Full text of the file, as read (UTF-8, BOM removed). All offsets point into this string. */
  source: string;
  sections: Section[];
}
