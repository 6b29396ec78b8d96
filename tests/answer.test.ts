import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, loadConfig } from '../src/config/config.ts';
import { createLogger } from '../src/log/logger.ts';
import { openLiveEngine, type LiveAnswerEngine } from '../src/service/liveEngine.ts';
import { turnOf } from '../src/answer/followUp.ts';
import { readCorpus } from '../src/corpus/readCorpus.ts';
import { overviewKeys } from '../src/retrieval/overview.ts';
import { titleKey } from '../src/index/lexicalTerms.ts';
import { lexicalTerms } from '../src/text/tokens.ts';
import type { ChunkRecord, ParagraphRecord } from '../src/retrieval/types.ts';
import { unquotedPart, windowAround } from '../src/answer/quoteWindows.ts';
import { composePassage } from '../src/answer/composePassage.ts';
import { queryWords, spellingMatch } from '../src/retrieval/wordAlignment.ts';
import { hasTypedAnswer } from '../src/retrieval/answerType.ts';
import { DEFAULT_TUNING } from '../src/config/tuning.ts';
import { USAGE_HINT } from '../src/discord/handling/classifyMessage.ts';
import { stem } from '../src/text/tokens.ts';

const { maxPassageChars } = DEFAULT_TUNING.reader;
const { spelling } = DEFAULT_TUNING.retrieval;

let engine: LiveAnswerEngine;
let source: string;

beforeAll(async () => {
  engine = await openLiveEngine(loadConfig({}), createLogger('silent'));
  source = await fs.readFile(`${PROJECT_ROOT}/corpus/great-purge.txt`, 'utf8');
});
afterAll(() => engine.close());

describe('answers', () => {
  it('quotes the article word for word, with highlights copied from the quote and a section citation', async () => {
    const answer = await engine.answer('Who took over the NKVD after Yezhov was removed?');
    expect(answer.abstained).toBe(false);
    expect(answer.passages[0]!.text).toContain('Lavrenty Beria succeeded him as head of the NKVD.');
    expect(answer.passages[0]!.citation).toBe('Great Purge › End of Yezhovshchina ¶1');
    for (const passage of answer.passages) {
      for (const piece of passage.text.split('…')) expect(source).toContain(piece.trim());
      expect(passage.text.length).toBeLessThanOrEqual(maxPassageChars);
      for (const highlight of passage.highlights) expect(passage.text).toContain(highlight);
    }
  });

  it("opens with the article's definition when asked about its whole subject", async () => {
    for (const question of ['What was the Great Purge?', 'Tell me about the Great Purge', 'great purge summary']) {
      const answer = await engine.answer(question);
      expect(answer.passages[0]!.text, question).toMatch(/^The Great Purge is the name given to campaigns of repression/);
      expect(answer.passages[0]!.citation).toBe('Great Purge ¶1');
    }
    const detail = await engine.answer('When did the Great Purge end?');
    expect(detail.passages[0]!.citation).not.toBe('Great Purge ¶1');
  });

  it('highlights the sentence that holds the kind of answer asked for', async () => {
    const answer = await engine.answer('How many of the January 1937 defendants got shot?');
    expect(answer.passages[0]!.highlights.join(' ')).toContain('Thirteen defendants were shot');
  });

  it('highlights the sentence that names the answer with the one it continues, not the one that only restates the topic', async () => {
    const answer = await engine.answer('Who led the commission that investigated the charges against Trotsky?');
    const highlighted = answer.passages[0]!.highlights.join(' ');
    expect(highlighted).toContain('The commission was headed by the noted American philosopher and educator John Dewey.');
    expect(highlighted).toContain('commonly known as the Dewey Commission');
  });

  it('never repeats a sentence, within a page or across "More passages" pages', async () => {
    for (const question of ['What happened at the Moscow show trials?', 'What was the Great Purge?', 'How did the West learn about the purges?']) {
      const texts: string[] = [];
      for (let skip = 0, more = true; more; skip += 3) {
        const page = await engine.answer(question, { maxPassages: 3, skip });
        texts.push(...page.passages.map((p) => p.text));
        more = page.hasMore;
        expect(skip, 'pages end').toBeLessThan(60);
      }
      expect(texts.length, question).toBeGreaterThan(3);
      const sentences = texts.flatMap((t) => t.split(/(?<=[.!?])\s+/).map((x) => x.replace(/^… |…$/g, '').trim()).filter((x) => x.length > 20));
      expect(new Set(sentences).size, question).toBe(sentences.length);
    }
  });

  it('quotes across a chunk boundary when the answer sits next to the best chunk, within one paragraph', async () => {
    const answer = await engine.answer('Why did Khrushchev denounce the purges?');
    const first = answer.passages[0]!;
    expect(first.citation).toBe('Great Purge › Western reactions ¶4');
    expect(first.text).toContain('In his secret speech to the 20th CPSU congress');
    expect(first.text).toContain('he was at that time engaged in a power struggle');
    expect(first.chunkIds.length).toBe(2);
  });

  it('marks with "…" exactly where paragraph text is left out', async () => {
    const paragraphs = (await readCorpus(`${PROJECT_ROOT}/corpus`)).flatMap((a) => a.sections.flatMap((s) => s.paragraphs.map((p) => p.text)));
    let elided = 0;
    for (const question of ['What was the Great Purge?', 'Who was Yezhov?', 'What did the Dewey Commission find?', 'When did Conquest publish The Great Terror?']) {
      for (const { text } of (await engine.answer(question, { maxPassages: 5 })).passages) {
        const body = text.replace(/^… /, '').replace(/ …$/, '');
        const paragraph = paragraphs.find((p) => p.includes(body));
        expect(paragraph, text).toBeDefined();
        expect(text.startsWith('… '), text).toBe(!paragraph!.startsWith(body));
        expect(text.endsWith(' …'), text).toBe(!paragraph!.endsWith(body));
        if (text.includes('…')) elided++;
      }
    }
    expect(elided).toBeGreaterThan(0);
  });

  it('finds names despite typos and chat style', async () => {
    const answer = await engine.answer('wat happend to yezov');
    expect(answer.abstained).toBe(false);
    expect(answer.passages.map((p) => p.text).join(' ')).toMatch(/Yezhov/);
  });

  it('prefers content over reference lists, unless asked for books', async () => {
    const content = await engine.answer('What did Robert Conquest write?');
    expect(content.passages[0]!.section).not.toBe('Further reading and references');
    const books = await engine.answer('Which books can I read to learn more about the purge?');
    expect(books.passages.some((p) => p.section === 'Further reading and references')).toBe(true);
  });

  it('says so when the article does not cover the question, and offers the closest sections', async () => {
    for (const question of ['What is the best pizza topping?', 'How do I reset my router?', 'Who won the 2018 World Cup?']) {
      const answer = await engine.answer(question);
      expect(answer.abstained, question).toBe(true);
      expect(answer.passages).toEqual([]);
    }
    const nearMiss = await engine.answer("What was Stalin's birthday?");
    expect(nearMiss.abstained).toBe(true);
    expect(nearMiss.suggestions.length).toBeGreaterThan(0);
  });

  it('answers a follow-up in the context of the conversation, but not a question that stands on its own', async () => {
    const first = await engine.answer('Who headed the NKVD at the height of the purge?');
    const history = [turnOf(first)!];
    const followUp = await engine.answer('Who replaced him?', { history });
    expect(followUp.passages.map((p) => p.text).join(' ')).toContain('Lavrenty Beria succeeded him');
    const standalone = await engine.answer('When was Bukharin rehabilitated?', { history });
    expect(standalone.searchedFor).toBe('When was Bukharin rehabilitated?');
    expect(standalone.passages[0]!.text).toContain('rehabilitated later, in 1988');
  });

  it('takes "him" after a "who" question to be the person its answer named', async () => {
    const first = await engine.answer('Who headed the NKVD at the height of the purge?');
    expect(first.answerNames).toEqual(['Nikolai Yezhov']);
    const turn = turnOf(first)!;
    expect(turn.names).toEqual(['Nikolai Yezhov']);
    const followUp = await engine.answer('Who replaced him?', { history: [turn] });
    expect(followUp.searchedFor).toBe('Who replaced Yezhov?');
    expect(followUp.passages.map((p) => p.text).join(' ')).toContain('Lavrenty Beria succeeded him');
    // When the answer named no one, "him" is the person the question named.
    const named = await engine.answer('What happened to him?', { history: [{ question: 'What did Bukharin confess?' }] });
    expect(named.searchedFor).toBe('What happened to Bukharin?');
    expect(named.passages[0]!.text).toContain('Bukharin');
  });

  it('asks who is meant when a question points to someone and there is no conversation to say who', async () => {
    for (const [question, pointer] of [['Who replaced him?', '“him”'], ['what did the new guy do', '“the new guy”']] as const) {
      const answer = await engine.answer(question);
      expect(answer.abstained).toBe(true);
      expect(answer.passages).toEqual([]);
      expect(answer.notice).toContain(pointer);
      expect(answer.notice).toMatch(/with the name/);
    }
    // A question that names the person is answered as before, and so is "his" that points to a name in the question.
    expect((await engine.answer('Who replaced Yezhov?')).passages[0]!.text).toContain('Lavrenty Beria succeeded him');
    expect((await engine.answer('What happened to Bukharin and his wife?')).abstained).toBe(false);
  });

  it('searches for what the article calls a thing when the question uses its gloss', async () => {
    // "A series of NKVD (the Soviet secret police) operations …": the article's own alias table.
    const answer = await engine.answer('who ran the soviet secret police in 1938');
    expect(answer.searchedFor).toBe('who ran the soviet secret police in 1938 NKVD');
    expect(answer.passages[0]!.text).toContain('NKVD');
    // The article's own word is not searched with its gloss: that would pull up the one sentence that glosses it.
    expect((await engine.answer('When was Bukharin rehabilitated?')).searchedFor).toBe('When was Bukharin rehabilitated?');
  });

  it("highlights the sentence that meets a follow-up's own words, not the previous answer's", async () => {
    const first = await engine.answer('Who testified that he had flown to Oslo to get instructions from Trotsky?');
    expect(first.passages[0]!.highlights.join(' ')).toContain('Piatakov testified');
    const followUp = await engine.answer('did that flight really happen', { history: [turnOf(first)!] });
    expect(followUp.passages[0]!.highlights.join(' ')).toContain('no such flight had taken place');
  });

  it('takes "the new guy" to mean the person the previous answer named', async () => {
    const history = [{ question: 'Who replaced him?', searchedFor: 'Who replaced him? yezhov', names: ['Lavrenty Beria'] }];
    const answer = await engine.answer('What did the new guy change?', { history });
    expect(answer.searchedFor).toBe('What did Beria change?');
    expect(answer.passages[0]!.text).toContain('cancelled most of the NKVD orders of systematic repression');
  });

  it('shows a further passage only when it is nearly as good or from another section; "More passages" has the rest', async () => {
    const first = await engine.answer('How many army generals were purged?');
    expect(first.passages.map((p) => p.citation)).toEqual(['Great Purge › Purge of the army ¶1']);
    expect(first.hasMore).toBe(true);
    const more = await engine.answer('How many army generals were purged?', { skip: 1 });
    expect(more.passages.length).toBeGreaterThan(0);
    expect(more.passages.map((p) => p.text)).not.toContain(first.passages[0]!.text);
  });

  it('gives "More passages" without repeating the first ones', async () => {
    const first = await engine.answer('Moscow Trials confessions', { maxPassages: 2 });
    const more = await engine.answer('Moscow Trials confessions', { maxPassages: 2, skip: 2 });
    expect(first.hasMore).toBe(true);
    for (const p of more.passages) expect(first.passages.map((x) => x.text)).not.toContain(p.text);
  });

  it('answers bad input with a clear message, never a crash', async () => {
    const cases = ['', '   \n\t ', 'x'.repeat(20_000), '?!?! 🤔🤔', '\u0000\u0007\u200B\u200D', '@everyone <@&123> who was Yezhov?', 'Реабилитация'];
    for (const question of cases) {
      const answer = await engine.answer(question);
      expect(typeof answer.abstained).toBe('boolean');
      if (answer.abstained && answer.passages.length === 0 && !answer.notice) expect(answer.suggestions).toBeDefined();
    }
    expect((await engine.answer('')).notice).toMatch(/ask a question/i);
    expect((await engine.answer('x'.repeat(20_000))).notice).toMatch(/too long \(20,000 characters\)/);
    expect((await engine.answer('?!?! 🤔🤔')).notice).toMatch(/no words/);
    expect((await engine.answer('@everyone who was Yezhov?')).abstained).toBe(false);
  });

  it("words its notices for any corpus: they name nothing of the seed article's", async () => {
    // A community that indexes its own articles must not be told to ask about the NKVD.
    const seedWords = new Set(engine.sections().flatMap((s) => s.label.split(/[^\p{L}]+/u)).filter((w) => /^\p{Lu}/u.test(w) && w.length > 3));
    expect(seedWords).toContain('NKVD');
    for (const question of ['', '?!?! 🤔🤔', 'who replaced him?']) {
      const { notice } = await engine.answer(question);
      expect(notice).toBeDefined();
      for (const word of seedWords) expect(notice).not.toContain(word);
    }
    for (const word of seedWords) expect(USAGE_HINT).not.toContain(word);
  });
});

describe('overview questions', () => {
  // What the index stores for each title (articles.title_key); a question names an article whole when a key matches.
  const titles = ['Great Purge', 'Soviet famine of 1932–1933', 'A brief history of time'].map((t) => titleKey(lexicalTerms(t)));
  const names = (question: string) => titles.findIndex((key) => overviewKeys(question).includes(key));

  it('finds the article whose whole subject is asked about', () => {
    expect(names('What was the Great Purge?')).toBe(0);
    expect(names('the great purges in a nutshell')).toBe(0);
    expect(names('Tell me about the Soviet famine of 1932–1933')).toBe(1);
    expect(names('a brief history of time')).toBe(2);
  });

  it('leaves questions with a detail of their own, or only part of a title, to retrieval', () => {
    expect(names('Who started the Great Purge?')).toBe(-1);
    expect(names('What was the purge?')).toBe(-1);
    expect(names('What was the Soviet famine?')).toBe(-1);
  });
});

describe('quote windows', () => {
  // One paragraph of four sentences, chunked in two, and a second paragraph of one chunk.
  const paragraph = 'Alpha one. Bravo two. Charlie three. Delta four.';
  const chunk = (id: string, paragraphNo: number, text: string, sentences: Array<[number, number]>): ChunkRecord => ({
    id, articleId: 'a', articleTitle: 'A', sectionPath: [], sectionIndex: 0, paragraph: paragraphNo, text, sentences, facts: sentences.map(() => ({})), isReference: false,
  });
  const chunks = [
    chunk('c1', 1, 'Alpha one. Bravo two.', [[0, 10], [11, 21]]),
    chunk('c2', 1, 'Charlie three. Delta four.', [[0, 14], [15, 26]]),
    chunk('c3', 2, 'Echo five.', [[0, 10]]),
  ];
  const first: ParagraphRecord = { text: paragraph, chunks: [{ chunk: chunks[0]!, offset: 0 }, { chunk: chunks[1]!, offset: 22 }] };
  const second: ParagraphRecord = { text: 'Echo five.', chunks: [{ chunk: chunks[2]!, offset: 0 }] };

  it('joins a chunk with its neighbours in the same paragraph, never across paragraphs', () => {
    const window = windowAround(chunks[1]!, first);
    expect(window.text).toBe(paragraph);
    expect(window.sentences.map(([s, e]) => window.text.slice(s, e))).toEqual(['Alpha one.', 'Bravo two.', 'Charlie three.', 'Delta four.']);
    expect(windowAround(chunks[2]!, second).text).toBe('Echo five.');
    expect(windowAround(chunks[2]!, undefined).text).toBe('Echo five.');
  });

  it('leaves out what earlier passages quoted, so text they did not quote stays reachable', () => {
    const window = windowAround(chunks[0]!, first);
    const part = unquotedPart(window, 'c2', new Set(['c1#0', 'c1#1', 'c2#0']))!;
    expect(part.text).toBe('Delta four.');
    expect(part.continuesBefore).toBe(true);
    expect(part.continuesAfter).toBe(false);
    expect(unquotedPart(window, 'c1', new Set(['c1#0', 'c1#1']))).toBeUndefined();
  });

  it('marks left-out paragraph text with "…" and keeps within the passage length', () => {
    const part = unquotedPart(windowAround(chunks[1]!, first), 'c2', new Set(['c1#0']))!;
    const composed = composePassage(part, [0, 1, 0], maxPassageChars);
    expect(composed.text).toBe('… Bravo two. Charlie three. Delta four.');
    expect(composed.elided).toEqual({ before: true, after: false });
    expect(composed.sentenceSpans.map(([s, e]) => composed.text.slice(s, e))).toEqual(['Bravo two.', 'Charlie three.', 'Delta four.']);
    const long = { ...part, text: 'x'.repeat(900), sentences: [[0, 450], [451, 900]] as Array<[number, number]>, continuesBefore: false };
    const cut = composePassage(long, [0, 1], maxPassageChars);
    expect(cut.text.length).toBeLessThanOrEqual(maxPassageChars);
    expect(cut.text.startsWith('… ')).toBe(true);
    expect(cut.sentenceSpans).toEqual([[2, 451]]);
  });

  it('quotes the sentence the best one continues, even when the next one scores higher', () => {
    const text = `${'a'.repeat(300)}. ${'b'.repeat(300)}. ${'c'.repeat(300)}.`;
    const window = { text, sentences: [[0, 301], [302, 603], [604, 905]] as Array<[number, number]>, sentenceRefs: [], continuesBefore: false, continuesAfter: false };
    const quoted = (continues: boolean[]) => composePassage(window, [0.1, 1, 0.5], maxPassageChars, continues).sentenceSpans.length;
    const starts = (continues: boolean[]) => composePassage(window, [0.1, 1, 0.5], maxPassageChars, continues).text.slice(2, 3);
    expect(quoted([false, false, false])).toBe(2);
    expect(starts([false, false, false])).toBe('b');
    expect(starts([false, true, false])).toBe('a');
  });
});

describe('answer type', () => {
  it('a spelling variant of a question word counts ("rehabilitation" finds "rehabilitated … in 1988")', () => {
    const words = ['bukharin', 'rehabilitated', 'later'];
    const vocabulary = { words, stems: words.map(stem), vectors: new Float32Array(words.length * 2), dimensions: 2 };
    const query = queryWords([{ word: 'rehabilitation', weight: 1, vector: undefined }], vocabulary, spelling);
    const text = 'Bukharin was rehabilitated later, in 1988.';
    const chunk = { text, sentences: [[0, text.length]] as Array<[number, number]> };
    const sentenceWordIds = [Int32Array.from(['bukharin', 'rehabilitated', 'later'], (w) => words.indexOf(w))];
    expect(hasTypedAnswer({ chunk, sentenceWordIds }, 'time', query, spellingMatch(spelling))).toBe(true);
    expect(hasTypedAnswer({ chunk, sentenceWordIds: [Int32Array.of(0, 2)] }, 'time', query, spellingMatch(spelling))).toBe(false);
  });
});
