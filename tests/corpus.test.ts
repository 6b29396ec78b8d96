import { readFile, rm, writeFile } from 'node:fs/promises';
import { makeTempDir, removeDir } from './helpers/tempProject.ts';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/types.ts';
import { CorpusError } from '../src/corpus/errors.ts';
import { MAX_ARTICLE_BYTES } from '../src/corpus/text.ts';
import { isReferenceHeading } from '../src/corpus/blocks.ts';
import { parseArticle } from '../src/corpus/parse.ts';
import { readCorpus } from '../src/corpus/readCorpus.ts';

const CORPUS = path.resolve(import.meta.dirname, '../corpus');
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');

const allParagraphs = (a: Article) => a.sections.flatMap((s) => s.paragraphs);
const paragraphWith = (a: Article, needle: string) => {
  const found = allParagraphs(a).filter((p) => p.text.includes(needle));
  expect(found, needle).toHaveLength(1);
  return found[0]!;
};

describe('seed article (corpus/great-purge.txt)', () => {
  let article: Article;
  let raw: string;
  beforeAll(async () => {
    const articles = await readCorpus(CORPUS);
    expect(articles).toHaveLength(1);
    article = articles[0]!;
    raw = await readFile(path.join(CORPUS, 'great-purge.txt'), 'utf8');
  });

  it('has id, title, file and the unchanged source', () => {
    expect(article.id).toBe('great-purge');
    expect(article.title).toBe('Great Purge');
    expect(article.file).toBe('great-purge.txt');
    expect(article.sourceUrl).toBeUndefined();
    expect(article.source).toBe(raw);
  });

  it('has exactly these sections, in order', () => {
    expect(article.sections.map((s) => s.heading)).toEqual([
      'Great Purge',
      'The Moscow Trials',
      'Purge of the army',
      'The wider purge',
      'National operations of NKVD',
      'End of Yezhovshchina',
      'Western reactions',
      'Victim toll',
      'Soviet Investigation Commissions',
      'Skepticism and denial',
      'Further reading and references',
      'External links',
    ]);
    expect(article.sections[0]!.path).toEqual([]);
    expect(article.sections[1]!.path).toEqual(['The Moscow Trials']);
    expect(article.sections.slice(1).every((s) => s.path.length === 1 && s.path[0] === s.heading)).toBe(true);
  });

  it('flags reference sections only', () => {
    expect(article.sections.filter((s) => s.isReference).map((s) => s.heading)).toEqual([
      'Further reading and references',
      'External links',
    ]);
  });

  it('keeps "External links" with no paragraphs', () => {
    expect(article.sections.at(-1)!.paragraphs).toEqual([]);
  });

  it('paragraph offsets round-trip and paragraphs are trimmed', () => {
    for (const p of allParagraphs(article)) {
      expect(article.source.slice(p.start, p.end)).toBe(p.text);
      expect(p.text).toBe(p.text.trim());
      expect(p.text.length).toBeGreaterThan(0);
    }
  });

  it('paragraph counts per section', () => {
    expect(article.sections.map((s) => s.paragraphs.length)).toEqual([4, 11, 2, 3, 1, 2, 6, 2, 3, 2, 1, 0]);
  });

  it('drops the site name, the "Main article" pointer and the licence line', () => {
    const texts = allParagraphs(article).map((p) => p.text);
    expect(texts.some((t) => t.includes('The Online Encyclopedia and Dictionary'))).toBe(false);
    expect(texts.some((t) => t.includes('Main article'))).toBe(false);
    expect(texts.some((t) => t.includes('licensed') || t.includes('GNU Free Documentation License'))).toBe(false);
    expect(article.sections[1]!.paragraphs[0]!.text.startsWith('Between 1936 and 1938')).toBe(true);
  });

  it('keeps list items with the paragraph that introduces them, verbatim', () => {
    const trials = paragraphWith(article, 'Between 1936 and 1938 three Moscow Trials');
    expect(trials.text).toContain('  • The first trial was of 16 members');
    expect(trials.text).toContain('\n  • The second trial in January 1937');
    expect(trials.text.endsWith('labor camps where they soon died.')).toBe(true);

    const dewey = paragraphWith(article, 'Independent of extrinsic evidence, the Commission finds:');
    expect(dewey.text.startsWith('The Dewey Commission published its findings')).toBe(true);
    expect(dewey.text.match(/ {2}• That/g)).toHaveLength(3);
    expect(dewey.text).not.toContain('We therefore find');
    expect(paragraphWith(article, 'We therefore find').text).toBe(
      'The commission concluded: "We therefore find the Moscow Trials to be frame-ups."',
    );

    const stated = paragraphWith(article, 'The commission stated:');
    expect(stated.text.startsWith('The second commission largely worked')).toBe(true);
    expect(stated.text.endsWith('also lies on Molotov, Kaganovich, Malenkov...')).toBe(true);
    expect(paragraphWith(article, 'However, soon Khrushchev was deposed').text.startsWith('However')).toBe(true);
  });

  it('does not take short content lines for headings', () => {
    const colon = paragraphWith(article, 'only a minor part of the purges:');
    expect(colon.text).toBe('The trials and executions of the former Bolshevik leaders were, however, only a minor part of the purges:');
    expect(paragraphWith(article, 'Nevertheless, the practice of mass arrest').text).toBe(
      "Nevertheless, the practice of mass arrest and exile was continued until Stalin's death in 1953.",
    );
  });

  it('reference list without a lead-in is one paragraph of items', () => {
    const refs = article.sections[10]!.paragraphs[0]!;
    expect(refs.text.startsWith('• Rehabilitation: As It Happened.')).toBe(true);
    expect(refs.text.match(/•/g)).toHaveLength(8);
  });
});

describe('Markdown', () => {
  let byId: Map<string, Article>;
  beforeAll(async () => {
    byId = new Map((await readCorpus(path.join(FIXTURES, 'markdown'))).map((a) => [a.id, a]));
  });

  it('reads only .md/.txt articles (README.md, hidden and other files ignored)', () => {
    expect([...byId.keys()].sort()).toEqual(['holodomor-title', 'several-h1', 'soviet-famine']);
  });

  it('front matter gives title and source; ## / ### give nested paths', () => {
    const a = byId.get('soviet-famine')!;
    expect(a.title).toBe('Soviet famine of 1932–1933');
    expect(a.sourceUrl).toBe('https://en.wikipedia.org/wiki/Soviet_famine_of_1932%E2%80%931933');
    expect(a.sections.map((s) => s.path)).toEqual([[], ['Causes'], ['Causes', 'Procurement'], ['References']]);
    expect(a.sections.map((s) => s.heading)).toEqual(['Soviet famine of 1932–1933', 'Causes', 'Procurement', 'References']);
    expect(a.sections.map((s) => s.isReference)).toEqual([false, false, false, true]);
    const causes = a.sections[1]!.paragraphs.map((p) => p.text);
    expect(causes).toEqual([
      'Historians name several causes, among them:\n\n- forced collectivization of agriculture;\n- grain procurement quotas that were far too high.',
      'Another paragraph of the section\nwraps over two lines. It ends here.',
    ]);
    // A "#" line inside a fenced code block is not a heading.
    expect(a.sections[2]!.paragraphs[1]!.text).toContain('# not a heading');
    for (const p of a.sections.flatMap((s) => s.paragraphs)) expect(a.source.slice(p.start, p.end)).toBe(p.text);
  });

  it('a single leading "# Title" is the title, not a section', () => {
    const a = byId.get('holodomor-title')!;
    expect(a.title).toBe('Holodomor');
    expect(a.sourceUrl).toBeUndefined();
    expect(a.sections.map((s) => s.path)).toEqual([[], ['Recognition']]);
    expect(a.sections[0]!.paragraphs[0]!.text).toBe('The Holodomor was a famine in Soviet Ukraine.');
  });

  it('several "#" headings are sections: ## nested under # gives [h1, h2]', () => {
    const a = byId.get('several-h1')!;
    expect(a.title).toBe('Collectivization');
    expect(a.sections.map((s) => s.path)).toEqual([[], ['Background'], ['Background', 'Dekulakization'], ['Results']]);
    expect(a.sections[0]!.paragraphs).toEqual([]);
  });
});

describe('plain text without headings', () => {
  it('becomes a single lead section; "Source:" line gives the URL', async () => {
    const [a] = await readCorpus(path.join(FIXTURES, 'plain'));
    expect(a!.title).toBe('Nikolai Yezhov');
    expect(a!.sourceUrl).toBe('https://example.org/wiki/Yezhov');
    expect(a!.sections).toHaveLength(1);
    expect(a!.sections[0]!.paragraphs.map((p) => p.text)).toEqual([
      'Nikolai Yezhov was head of the NKVD from 1936 to 1938. He was arrested in 1939. He was shot in 1940.',
      'His period in office is called the Yezhovshchina.',
    ]);
  });

  it('a first line that is a URL is the source', () => {
    const a = parseArticle('x.txt', 'https://example.org/a\n\nTitle\n\nSome text.\n');
    expect(a.sourceUrl).toBe('https://example.org/a');
    expect(a.title).toBe('Title');
  });
});

describe('CRLF and BOM', () => {
  it('parses like the LF seed and offsets round-trip against the stored source', async () => {
    const [crlf] = await readCorpus(path.join(FIXTURES, 'crlf'));
    const [lf] = await readCorpus(CORPUS);
    expect(crlf!.source.charCodeAt(0)).not.toBe(0xfeff);
    expect(crlf!.source).toContain('\r\n');
    expect(crlf!.title).toBe('Great Purge');
    expect(crlf!.sections.map((s) => s.heading)).toEqual(lf!.sections.map((s) => s.heading));
    const crlfParas = allParagraphs(crlf!);
    const lfParas = allParagraphs(lf!);
    expect(crlfParas.map((p) => p.text.replace(/\r\n/g, '\n'))).toEqual(lfParas.map((p) => p.text));
    for (const p of crlfParas) {
      expect(crlf!.source.slice(p.start, p.end)).toBe(p.text);
      expect(p.text.endsWith('\r')).toBe(false);
    }
  });
});

describe('reference headings', () => {
  it.each(['References', 'External links', 'Further reading', 'See also', 'Bibliography', 'Notes', 'Sources', 'Notes and references'])(
    '%s is a reference heading',
    (h) => expect(isReferenceHeading(h)).toBe(true),
  );
  it.each(['The Moscow Trials', 'Victim toll', 'Source', 'Western reactions'])('%s is not', (h) =>
    expect(isReferenceHeading(h)).toBe(false),
  );
});

describe('bad input gives a CorpusError naming the file and what to do', () => {
  const expectError = async (dir: string, ...patterns: RegExp[]) => {
    const err = await readCorpus(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CorpusError);
    for (const p of patterns) expect((err as Error).message).toMatch(p);
  };
  const bad = (name: string) => path.join(FIXTURES, 'bad', name);

  it('missing folder', () => expectError(path.join(FIXTURES, 'does-not-exist'), /does not exist/, /Create it/));
  it('folder with no article files (README.md and other files ignored)', () =>
    expectError(bad('no-articles'), /has no articles/, /Add at least one \.txt or \.md/));
  it('empty file', () => expectError(bad('empty-file'), /empty\.txt: is empty/, /remove the file/));
  it('whitespace-only file', () => expectError(bad('whitespace'), /blank\.md: is empty/));
  it('binary file', () => expectError(bad('binary'), /image\.txt: looks like a binary file/));
  it('non-UTF-8 file', () => expectError(bad('latin1'), /latin1\.txt: is not valid UTF-8/, /Re-save it as UTF-8/));
  it('no title', () => expectError(bad('no-title'), /no-title\.md: has no title/, /# Title/));
  it('title but no text', () => expectError(bad('no-content'), /title-only\.txt: has a title but no article text/));
  it('two articles with the same title, naming both files', () =>
    expectError(bad('duplicate-title'), /first\.txt and second\.md have the same title "Great Purge"/));
  it('unclosed front matter', () => expectError(bad('unclosed-front-matter'), /open\.md: .*front matter/, /closing "---"/));
  it('source that is not a URL', () => expectError(bad('bad-source'), /bad\.md: the source "ftp:\/\/example\.org\/x" is not an http\(s\) URL/));

  it('parseArticle rejects an unsupported extension', () => {
    expect(() => parseArticle('notes.rtf', 'Title\n\nText.')).toThrow(CorpusError);
  });

  describe('generated files', () => {
    let tmp: string;
    beforeAll(async () => {
      tmp = await makeTempDir('corpus-test');
    });
    afterAll(async () => {
      await removeDir(tmp);
    });

    it('a 5 MB article is rejected quickly with the limit in the message', async () => {
      const dir = path.join(tmp, 'large');
      await rm(dir, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(dir));
      const para = 'The purge was motivated by the desire of the leadership to remove dissident elements. ';
      await writeFile(path.join(dir, 'huge.txt'), `Huge\n\n${para.repeat(Math.ceil((5 * 1024 * 1024) / para.length))}\n`);
      const t0 = performance.now();
      await expectError(dir, /huge\.txt: is too large \(5\.0 MB; the limit is 1\.0 MB/, /Split it/);
      expect(performance.now() - t0).toBeLessThan(2000);
      // The pure parser enforces the same limit.
      expect(() => parseArticle('huge.txt', `Huge\n\n${para.repeat(MAX_ARTICLE_BYTES / para.length + 1)}`)).toThrow(/too large/);
    });

    it('an article just under the limit parses quickly', () => {
      const para = 'The purge was motivated by the desire of the leadership to remove dissident elements.\n\nHeading\n\n';
      const source = `Big\n\n${para.repeat(Math.floor((MAX_ARTICLE_BYTES - 100) / para.length))}`;
      const t0 = performance.now();
      const a = parseArticle('big.txt', source);
      expect(performance.now() - t0).toBeLessThan(3000);
      expect(a.sections.length).toBeGreaterThan(1000);
    });

    it('several bad files are reported together, and nothing is returned', async () => {
      const dir = path.join(tmp, 'several');
      await import('node:fs/promises').then((fs) => fs.mkdir(dir));
      await writeFile(path.join(dir, 'good.txt'), 'Good\n\nFine text.\n');
      await writeFile(path.join(dir, 'a.txt'), '');
      await writeFile(path.join(dir, 'b.md'), Buffer.from([0x41, 0x00, 0x42]));
      await expectError(dir, /2 problems/, /a\.txt: is empty/, /b\.md: looks like a binary file/);
    });

    it('two files with the same id are rejected', async () => {
      const dir = path.join(tmp, 'same-id');
      await import('node:fs/promises').then((fs) => fs.mkdir(dir));
      await writeFile(path.join(dir, 'Great Purge.txt'), 'One\n\nText.\n');
      await writeFile(path.join(dir, 'great-purge.md'), '# Two\n\nText.\n');
      await expectError(dir, /Great Purge\.txt and great-purge\.md give the same article id "great-purge"/);
    });
  });
});
