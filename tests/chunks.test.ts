import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/types.ts';
import type { Chunk } from '../src/chunks/types.ts';
import { readCorpus } from '../src/corpus/readCorpus.ts';
import { parseArticle } from '../src/corpus/parse.ts';
import { DEFAULT_MAX_CHARS, chunkArticle, embeddingText } from '../src/chunks/chunkArticle.ts';
import { splitSentences } from '../src/text/sentences.ts';

const CORPUS = path.resolve(import.meta.dirname, '../corpus');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');

const sentencesOf = (text: string) => splitSentences(text).map(([a, b]) => text.slice(a, b));

describe('splitSentences', () => {
  it('returns trimmed, ordered, non-overlapping ranges', () => {
    const text = '  First one. Second one!\n\nThird?  ';
    const ranges = splitSentences(text);
    expect(ranges.map(([a, b]) => text.slice(a, b))).toEqual(['First one.', 'Second one!', 'Third?']);
  });

  it('initials and abbreviations from the seed references', () => {
    const item =
      '  • Rehabilitation: As It Happened. Documents of the CPSU CC Presidium and Other Materials. Vol. 2, February 1956-Early 1980s. Moscow, 2003. Compiled by A. Artizov, Yu. Sigachev, I. Shevchuk, V. Khlopov under editorship of acad. A.N. Yakovlev.';
    expect(sentencesOf(item)).toEqual([
      'Rehabilitation: As It Happened.',
      'Documents of the CPSU CC Presidium and Other Materials.',
      'Vol. 2, February 1956-Early 1980s.',
      'Moscow, 2003.',
      'Compiled by A. Artizov, Yu. Sigachev, I. Shevchuk, V. Khlopov under editorship of acad. A.N. Yakovlev.',
    ]);
  });

  it('each list item is its own sentence; bullets are not part of sentences', () => {
    const text =
      '  • J. Arch Getty and Oleg V. Naumov, The Road to Terror, Yale University Press, 1999.\n  • J. Arch Getty and Roberta T. Manning, Stalinist Terror, 1993.\n  • John Earl Haynes and Harvey Klehr, In Denial, 2003, hardcover, 312 pages, ISBN 1893554724';
    expect(sentencesOf(text)).toEqual([
      'J. Arch Getty and Oleg V. Naumov, The Road to Terror, Yale University Press, 1999.',
      'J. Arch Getty and Roberta T. Manning, Stalinist Terror, 1993.',
      'John Earl Haynes and Harvey Klehr, In Denial, 2003, hardcover, 312 pages, ISBN 1893554724',
    ]);
  });

  it('lead-in sentence with an open quote, then items', () => {
    const text =
      'Its conclusions asserted the innocence of all those condemned. In its summary the commission wrote: "Independent of extrinsic evidence, the Commission finds:\n\n  • That the conduct of the Moscow Trials was such as to convince any unprejudiced person that no attempt was made to ascertain the truth.\n  • That while confessions are necessarily entitled to the most serious consideration, they do not represent the truth."';
    expect(sentencesOf(text)).toEqual([
      'Its conclusions asserted the innocence of all those condemned.',
      'In its summary the commission wrote: "Independent of extrinsic evidence, the Commission finds:',
      'That the conduct of the Moscow Trials was such as to convince any unprejudiced person that no attempt was made to ascertain the truth.',
      'That while confessions are necessarily entitled to the most serious consideration, they do not represent the truth."',
    ]);
  });

  it.each([
    ['quotes', 'The commission concluded: "We therefore find the Moscow Trials to be frame-ups." Some contemporary observers disagreed.', [
      'The commission concluded: "We therefore find the Moscow Trials to be frame-ups."',
      'Some contemporary observers disagreed.',
    ]],
    ['e.g., pp., ISBN', 'Minimizations continue among revisionist scholars in the United States (see, e.g., pp. 15-17, In Denial, ISBN 1893554724) and small groups of Stalinists [2].', [
      'Minimizations continue among revisionist scholars in the United States (see, e.g., pp. 15-17, In Denial, ISBN 1893554724) and small groups of Stalinists [2].',
    ]],
    ['i.e.,', 'It was justified by war with "the most probable adversary", i.e., Germany, as well as other fears. Polish operation came first.', [
      'It was justified by war with "the most probable adversary", i.e., Germany, as well as other fears.',
      'Polish operation came first.',
    ]],
    ['et al.', 'While stating that the accusations against Tukhachevsky et al. should be abandoned, they failed. Bukharin was not rehabilitated.', [
      'While stating that the accusations against Tukhachevsky et al. should be abandoned, they failed.',
      'Bukharin was not rehabilitated.',
    ]],
    ['number, then a sentence', 'The fifth, Leon Trotsky, was murdered by a Soviet agent in 1940. Of 1,966 delegates to the 17th congress, 1,108 were arrested.', [
      'The fifth, Leon Trotsky, was murdered by a Soviet agent in 1940.',
      'Of 1,966 delegates to the 17th congress, 1,108 were arrested.',
    ]],
    ['proof...beyond', 'The Ambassador reported, "proof...beyond reasonable doubt to justify the verdict of treason" and the Webbs agreed.', [
      'The Ambassador reported, "proof...beyond reasonable doubt to justify the verdict of treason" and the Webbs agreed.',
    ]],
    ["'30s", "In the political atmosphere of the '30s the accusation was not incredible. Few observers knew.", [
      "In the political atmosphere of the '30s the accusation was not incredible.",
      'Few observers knew.',
    ]],
    ['Order no.', 'On July 30, 1937 the NKVD Order no. 00447 was issued. It became a blueprint.', [
      'On July 30, 1937 the NKVD Order no. 00447 was issued.',
      'It became a blueprint.',
    ]],
    ['dots inside parentheses', 'The book (Реабилитация. Политические процессы 30-50-х годов) (1991) contains archive material. It is in Russian.', [
      'The book (Реабилитация. Политические процессы 30-50-х годов) (1991) contains archive material.',
      'It is in Russian.',
    ]],
    ['several sentences inside quotation marks stay one', 'He said: "Stop. Go home now." Then he left. The commission wrote: “We find. We conclude.” It was 1937.', [
      'He said: "Stop. Go home now."',
      'Then he left.',
      'The commission wrote: “We find. We conclude.”',
      'It was 1937.',
    ]],
    ['a quotation mark that never closes does not swallow the paragraph', 'An unbalanced "quote starts here. And never ends. Another sentence.', [
      'An unbalanced "quote starts here.',
      'And never ends.',
      'Another sentence.',
    ]],
    ['Dr., Mr., St.', 'Dr. Smith met Mr. Jones in St. Petersburg. They talked (for hours. Really.) and left.', [
      'Dr. Smith met Mr. Jones in St. Petersburg.',
      'They talked (for hours. Really.) and left.',
    ]],
    ['soft line breaks inside a sentence', 'This sentence wraps\nover two lines. The next one\r\ndoes too.', [
      'This sentence wraps\nover two lines.',
      'The next one\r\ndoes too.',
    ]],
  ])('%s', (_name, text, expected) => {
    expect(sentencesOf(text)).toEqual(expected);
  });

  it('handles a very long paragraph quickly', () => {
    const text = 'The purge was motivated by the desire of the leadership in 1937. Mr. X said yes. '.repeat(6000);
    const t0 = performance.now();
    const ranges = splitSentences(text);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(ranges).toHaveLength(12_000);
  });
});

describe('chunkArticle', () => {
  let articles: Article[];
  let seed: Article;
  beforeAll(async () => {
    articles = [
      ...(await readCorpus(CORPUS)),
      ...(await readCorpus(path.join(FIXTURES, 'markdown'))),
      ...(await readCorpus(path.join(FIXTURES, 'crlf'))),
      ...(await readCorpus(path.join(FIXTURES, 'plain'))),
    ];
    seed = articles[0]!;
  });

  const check = (article: Article, chunks: Chunk[], maxChars: number) => {
    chunks.forEach((c, i) => {
      expect(c.order).toBe(i);
      expect(article.source.slice(c.start, c.end)).toBe(c.text);
      expect(c.articleId).toBe(article.id);
      expect(c.articleTitle).toBe(article.title);
      const section = article.sections[c.sectionIndex]!;
      expect(c.sectionPath).toEqual(section.path);
      expect(c.isReference).toBe(section.isReference);
      // Inside one paragraph of its section: never crosses a section.
      const paragraph = section.paragraphs[c.paragraph - 1]!;
      expect(c.start).toBeGreaterThanOrEqual(paragraph.start);
      expect(c.end).toBeLessThanOrEqual(paragraph.end);
      // Whole sentences, first starts the chunk, last ends it.
      expect(c.sentences.length).toBeGreaterThan(0);
      expect(c.sentences[0]![0]).toBe(0);
      expect(c.sentences.at(-1)![1]).toBe(c.text.length);
      for (const [a, b] of c.sentences) expect(c.text.slice(a, b)).toBe(c.text.slice(a, b).trim());
      if (c.text.length > maxChars) expect(c.sentences).toHaveLength(1);
      expect(c.id).toMatch(/^[0-9a-f]{16}$/);
    });
    // Together, the chunks of a paragraph cover exactly its sentences.
    for (const [si, section] of article.sections.entries()) {
      section.paragraphs.forEach((p, pi) => {
        const mine = chunks.filter((c) => c.sectionIndex === si && c.paragraph === pi + 1);
        const abs = mine.flatMap((c) => c.sentences.map(([a, b]) => [c.start + a, c.start + b]));
        const expected = splitSentences(p.text).map(([a, b]) => [p.start + a, p.start + b]);
        expect(abs).toEqual(expected);
      });
    }
  };

  it.each([400, 600, DEFAULT_MAX_CHARS, 800])('invariants hold for every article at maxChars %i', (maxChars) => {
    for (const article of articles) check(article, chunkArticle(article, { maxChars }), maxChars);
  });

  it('ids are stable across runs and unique across the corpus', () => {
    const a = articles.flatMap((x) => chunkArticle(x));
    const b = articles.flatMap((x) => chunkArticle(x));
    expect(a.map((c) => c.id)).toEqual(b.map((c) => c.id));
    expect(new Set(a.map((c) => c.id)).size).toBe(a.length);
  });

  it('ids do not change when the article is edited elsewhere', () => {
    const before = chunkArticle(seed);
    const edited = parseArticle(seed.file, seed.source.replace('Great Purge\n\n', 'Great Purge\n\nA new first paragraph.\n\n'));
    const after = new Set(chunkArticle(edited).map((c) => c.id));
    expect(before.every((c) => after.has(c.id))).toBe(true);
  });

  it('identical paragraphs in one section still get unique ids', () => {
    const a = parseArticle('dup.txt', 'Dup\n\nSee above.\n\nSee above.\n');
    const ids = chunkArticle(a).map((c) => c.id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('a short paragraph is one chunk; long ones are split into balanced pieces', () => {
    const chunks = chunkArticle(seed, { maxChars: 600 });
    const lead = chunks.filter((c) => c.sectionIndex === 0 && c.paragraph === 1);
    expect(lead.length).toBeGreaterThan(1);
    const lengths = lead.map((c) => c.text.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThan(300);
    const single = chunks.filter((c) => c.text.startsWith('The commission concluded:'));
    expect(single).toHaveLength(1);
    expect(single[0]!.paragraph).toBe(10);
  });

  it('a single sentence longer than maxChars stays whole', () => {
    const a = parseArticle('long.txt', `Long\n\n${'word '.repeat(100)}end. Short one.`);
    const chunks = chunkArticle(a, { maxChars: 100 });
    expect(chunks.map((c) => c.sentences.length)).toEqual([1, 1]);
    expect(chunks[0]!.text.length).toBeGreaterThan(100);
  });

  it('list items of the seed stay in the chunk of their lead-in when it fits', () => {
    const c = chunkArticle(seed, { maxChars: 800 }).find((x) => x.text.includes('Between 1936 and 1938'))!;
    expect(c.text).toContain('The second trial in January 1937');
    expect(c.sentences.map(([a, b]) => c.text.slice(a, b)).some((s) => s.startsWith('•'))).toBe(false);
  });

  it('reference chunks are flagged', () => {
    const refs = chunkArticle(seed).filter((c) => c.isReference);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((c) => c.sectionPath[0] === 'Further reading and references')).toBe(true);
  });

  it('embeddingText adds article title and section path, and keeps the text verbatim', () => {
    const chunks = chunkArticle(seed);
    const army = chunks.find((c) => c.sectionPath[0] === 'Purge of the army')!;
    expect(embeddingText(army)).toBe(`Great Purge › Purge of the army\n\n${army.text}`);
    expect(embeddingText(chunks[0]!)).toBe(`Great Purge\n\n${chunks[0]!.text}`);
  });

  it('rejects a non-positive maxChars', () => {
    expect(() => chunkArticle(seed, { maxChars: 0 })).toThrow(RangeError);
  });
});
