export type { Article, Paragraph, Section } from './types.ts';
export { CorpusError } from './errors.ts';
export { MAX_ARTICLE_BYTES, decodeArticle, slugFromFile } from './text.ts';
export { isReferenceHeading } from './blocks.ts';
export { ARTICLE_EXTENSIONS, isArticleFileName, isPlainTextHeading, parseArticle, parseMarkdown, parsePlainText } from './parse.ts';
export { listArticleFiles, readCorpus } from './readCorpus.ts';
