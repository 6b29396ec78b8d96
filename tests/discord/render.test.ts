/** Pure rendering: Discord limits, markdown escaping, highlights, pages. */
import { describe, expect, it } from 'vitest';
import type { Answer, Passage } from '../../src/answer/types.ts';
import type { SectionInfo } from '../../src/retrieval/types.ts';
import type { Span } from '../../src/text/span.ts';
import { splitSentences } from '../../src/text/sentences.ts';
import { renderAnswer, renderPassage } from '../../src/discord/render/answer.ts';
import { renderCitation as formatCitation, withTextFragment } from '../../src/discord/render/citationLink.ts';
import { cutToFit, sentenceEnds, truncate } from '../../src/discord/render/cut.ts';
import { paginate, renderSectionPage, renderTableOfContents } from '../../src/discord/render/pages.ts';
import { escapeQuoted, formatQuote } from '../../src/discord/render/quote.ts';

/** Where each highlight is in the text (test data names highlights as strings, as the JSON contract does). */
function spansOf(text: string, highlights: readonly string[]): Span[] {
  return highlights.map((h): Span => [text.indexOf(h), text.indexOf(h) + h.length]).filter(([s]) => s >= 0);
}

const SENTENCE = 'The height of the campaigns occurred while the NKVD was headed by Nikolai Yezhov. ';

function passage(text: string, extra: Partial<Passage> = {}): Passage {
  const highlights = extra.highlights ?? [];
  return {
    text,
    section: 'Purge of the army',
    citation: 'Great Purge › Purge of the army ¶2',
    url: 'https://example.org/wiki/Great_Purge',
    score: 1,
    highlights,
    highlightSpans: spansOf(text, highlights),
    sentenceSpans: splitSentences(text),
    elided: { before: false, after: false },
    articleId: 'great-purge',
    articleTitle: 'Great Purge',
    sectionPath: ['Purge of the army'],
    paragraph: 2,
    chunkIds: [`c-${text.length}`],
    ...extra,
  };
}

function answer(passages: Passage[], extra: Partial<Answer> = {}): Answer {
  return { question: 'q', abstained: false, passages, suggestions: [], searchedFor: 'q', hasMore: false, timings: { totalMs: 1 }, ...extra };
}

describe('cutting text', () => {
  it('keeps text that fits as it is', () => {
    expect(truncate('Short text.', 100)).toBe('Short text.');
  });

  it('cuts at a sentence end and marks the cut', () => {
    const text = SENTENCE.repeat(5).trim();
    const cut = truncate(text, 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/Yezhov\. …$/);
  });

  it('falls back to a word boundary, never mid-word', () => {
    const text = 'word '.repeat(100).trim();
    const cut = truncate(text, 53);
    expect(cut.length).toBeLessThanOrEqual(53);
    expect(cut).toMatch(/ word…$/);
  });

  it('does not take an abbreviation or an initial for a sentence end', () => {
    const text = 'Minimizations continue among scholars. Compiled by A.N. Yakovlev and others, see pp. 15-17 of the book.';
    expect(cutToFit(text, 60).text).toBe('Minimizations continue among scholars.');
    expect(cutToFit(text, 95).text).toBe('Minimizations continue among scholars.');
  });

  it('respects a limit measured after rendering', () => {
    const text = '*a* '.repeat(200);
    const kept = cutToFit(text, 300, (s) => escapeQuoted(s).length);
    expect(escapeQuoted(`${kept.text}…`).length).toBeLessThanOrEqual(300);
    expect(kept.cut).toBe(true);
  });
});

describe('escaping quoted text', () => {
  it.each([
    ['*stars*', '\\*stars\\*'],
    ['__under__', '\\_\\_under\\_\\_'],
    ['`code`', '\\`code\\`'],
    ['||spoiler||', '\\|\\|spoiler\\|\\|'],
    ['~~gone~~', '\\~\\~gone\\~\\~'],
    ['# Heading', '\\# Heading'],
    ['- item', '\\- item'],
    ['1. item', '1\\. item'],
    ['-# small', '\\-# small'],
    ['[click](https://evil.example)', '\\[click](https://evil.example)'],
  ])('%s is shown literally', (input, expected) => {
    expect(escapeQuoted(input)).toBe(expected);
  });
});

describe('quotes with highlights', () => {
  it('puts every line in a block quote and the highlight in bold', () => {
    const text = 'First sentence. Second *starred* sentence.\nNext line.';
    const quote = formatQuote(text, spansOf(text, ['Second *starred* sentence.']));
    expect(quote).toBe('> First sentence. **Second \\*starred\\* sentence.**\n> Next line.');
  });

  it('bolds a highlight that spans lines line by line', () => {
    const text = 'A one.\nB two.';
    expect(formatQuote(text, spansOf(text, ['one.\nB two.']))).toBe('> A **one.**\n> **B two.**');
  });
});

describe('citations', () => {
  it('links the citation without an embed preview', () => {
    expect(formatCitation('Great Purge › Victim toll ¶1', 'https://en.wikipedia.org/wiki/Great_Purge')).toBe(
      '— [Great Purge › Victim toll ¶1](<https://en.wikipedia.org/wiki/Great_Purge>)',
    );
  });
  it('links to the quoted sentence with a text fragment, encoded as the spec asks', () => {
    expect(withTextFragment('https://example.org/wiki/Great_Purge', 'Beria succeeded him.')).toBe('https://example.org/wiki/Great_Purge#:~:text=Beria%20succeeded%20him.');
    // A long sentence by its first and last words; "-", "," and "&" are encoded, so they are not read as syntax.
    expect(withTextFragment('https://example.org/a', 'The Great Purge, also known as the Great Terror, was a campaign of political repression in 1936-1938 & after.')).toBe(
      'https://example.org/a#:~:text=The%20Great%20Purge%2C,1936%2D1938%20%26%20after.',
    );
    // An existing fragment keeps its place; the directive follows it.
    expect(withTextFragment('https://example.org/a#History', 'Short one.')).toBe('https://example.org/a#History:~:text=Short%20one.');
    expect(formatCitation('Great Purge ¶1', 'https://example.org/a_(b)', 'It (the purge) ended.')).toBe(
      '— [Great Purge ¶1](<https://example.org/a_%28b%29#:~:text=It%20%28the%20purge%29%20ended.>)',
    );
  });
  it('shows the citation alone when there is no URL', () => {
    expect(formatCitation('Great Purge ¶1')).toBe('— *Great Purge ¶1*');
  });
});

describe('answers', () => {
  it('leads with the answering sentence in bold (the only bold), then its passage, then the citation linked to it', () => {
    const text = `The purge began in 1936. ${SENTENCE}It ended in 1938 with Beria.`;
    const r = renderAnswer(answer([passage(text, { highlights: ['Nikolai Yezhov'] })]));
    expect(r.content).toBe(
      [
        '**The height of the campaigns occurred while the NKVD was headed by Nikolai Yezhov.**',
        `> ${text}`,
        '— [Great Purge › Purge of the army ¶2](<https://example.org/wiki/Great_Purge#:~:text=The%20height%20of,by%20Nikolai%20Yezhov.>)',
      ].join('\n'),
    );
    expect(r.content.match(/\*\*/g)).toHaveLength(2);
    expect(r.shown).toBe(1);
  });

  it('quotes a short window of a long passage around the answering sentence, marking what is left out', () => {
    const before = 'Earlier events unfolded over many years in many places. '.repeat(12);
    const after = ' Later events followed in the years after it, as historians note.'.repeat(12);
    const text = `${before}${SENTENCE.trim()}${after}`;
    const r = renderAnswer(answer([passage(text, { highlights: [SENTENCE.trim()] })]));
    const quote = r.content.split('\n')[1]!;
    expect(quote).toMatch(/^> … .*Nikolai Yezhov\..* …$/);
    expect(r.content.length).toBeLessThan(800);
  });

  it('shows the answering sentence once when no neighbouring sentence fits beside it', () => {
    expect(renderAnswer(answer([passage(SENTENCE.trim(), { highlights: [SENTENCE.trim()] })])).content.split('\n')).toHaveLength(2);
    const longNeighbour = `${SENTENCE}${'Then a very long sentence followed, with many words in it, '.repeat(10)}and it ended.`;
    const r = renderAnswer(answer([passage(longNeighbour, { highlights: [SENTENCE.trim()] })]));
    expect(r.content.split('\n')).toEqual([`**${SENTENCE.trim()}**`, expect.stringMatching(/^— /)]);
  });

  it('fits a phone screen with long passages: the rest waits for "More passages"', () => {
    const long = SENTENCE.repeat(30).trim();
    const r = renderAnswer(answer([passage(long), passage(`${long} More.`), passage(`${long} Again.`)]));
    expect(r.content.length).toBeLessThanOrEqual(1200);
    expect(r.content).toMatch(/Yezhov\. …\n— /);
    expect(r.shown).toBeGreaterThanOrEqual(1);
    expect(r.shown).toBeLessThan(3);
  });

  it('cuts a lead too long for its room at a word, outside the bold', () => {
    const block = renderPassage(passage('word '.repeat(200).trim() + '.'), 300)!;
    expect(block.length).toBeLessThanOrEqual(300);
    expect(block).toMatch(/^\*\*word( word)*…\*\*\n— /);
  });

  it('fits all passages when they are short', () => {
    const r = renderAnswer(answer([passage('One.'), passage('Two.'), passage('Three.')]));
    expect(r.shown).toBe(3);
    expect(r.chunkIds).toHaveLength(3);
  });

  it('never renders a passage block over its room', () => {
    for (const max of [120, 300, 999]) {
      const block = renderPassage(passage(SENTENCE.repeat(40)), max);
      expect(block === undefined || block.length <= max).toBe(true);
    }
  });

  it('abstains kindly with the closest sections', () => {
    const r = renderAnswer(answer([], { abstained: true, suggestions: ['Great Purge › Victim toll'] }));
    expect(r.content).toMatch(/doesn't seem to cover/);
    expect(r.content).toContain('• Great Purge › Victim toll');
    expect(r.shown).toBe(0);
  });

  it('says what the article mentions and what it does not, on a near miss', () => {
    const r = renderAnswer(answer([], { abstained: true, suggestions: ['Great Purge › End of Yezhovshchina'], nearMiss: { mentioned: ['Yezhov'], missing: ['born', 'birthplace'] } }));
    expect(r.content).toMatch(/^The article mentions Yezhov, but not born and birthplace\.\nClosest sections:\n• Great Purge › End of Yezhovshchina/);
  });

  it('shows a notice as it is', () => {
    expect(renderAnswer(answer([], { abstained: true, notice: 'Please type a question.' })).content).toBe('Please type a question.');
  });
});

const section = (extra: Partial<SectionInfo> = {}): SectionInfo => ({
  articleId: 'great-purge',
  articleTitle: 'Great Purge',
  sectionPath: ['The Moscow Trials'],
  sectionIndex: 1,
  label: 'Great Purge › The Moscow Trials',
  isReference: false,
  url: 'https://example.org/wiki/Great_Purge',
  ...extra,
});
const sectionText = (text: string) => ({ text, sentenceEnds: sentenceEnds(text) });

describe('pages', () => {
  it('splits long text into pages that keep every word, at sentence ends', () => {
    const text = SENTENCE.repeat(60).trim();
    const pages = paginate(text, 500, (p) => formatQuote(p), sentenceEnds(text));
    expect(pages.length).toBeGreaterThan(3);
    for (const p of pages) expect(formatQuote(p).length).toBeLessThanOrEqual(500);
    expect(pages.join(' ')).toBe(text);
    expect(pages[0]).toMatch(/Yezhov\.$/);
  });

  it('renders every page of a long section within 2,000 characters', () => {
    const s = section();
    const body = sectionText(`${SENTENCE.repeat(40).trim()}\n\n${SENTENCE.repeat(40).trim()}`);
    const first = renderSectionPage(s, body, 0);
    expect(first.pageCount).toBeGreaterThan(1);
    for (let i = 0; i < first.pageCount; i++) {
      const page = renderSectionPage(s, body, i);
      expect(page.content.length).toBeLessThanOrEqual(2000);
      expect(page.content).toContain(`Page ${i + 1}/${first.pageCount}`);
      expect(page.content.startsWith('**Great Purge › The Moscow Trials**')).toBe(true);
    }
    expect(renderSectionPage(s, body, 99).page).toBe(first.pageCount - 1);
  });

  it('lists the table of contents by article and depth', () => {
    const toc = renderTableOfContents(
      [
        section({ sectionPath: [], label: 'Great Purge' }),
        section({ sectionPath: ['Purge of the army'], label: 'Great Purge › Purge of the army' }),
        section({ sectionPath: ['Purge of the army', 'Generals'], label: 'Great Purge › Purge of the army › Generals' }),
        section({ sectionPath: ['External links'], label: 'Great Purge › External links', isReference: true }),
      ],
      0,
    );
    expect(toc.content).toBe('**Great Purge**\n- Purge of the army\n  - Generals\n- External links *(references)*');
  });

  it('pages a table of contents too long for one message', () => {
    const many = Array.from({ length: 300 }, (_, i) => section({ sectionPath: [`Section number ${i}`], label: `Great Purge › Section number ${i}` }));
    const first = renderTableOfContents(many, 0);
    expect(first.pageCount).toBeGreaterThan(1);
    expect(first.content.length).toBeLessThanOrEqual(2000);
  });
});
