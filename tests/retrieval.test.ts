/** Retrieval on a small made-up corpus with a fake embedder: fast, no model, no seed article. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../src/index/buildIndex.ts';
import { loadIndex } from '../src/index/loadIndex.ts';
import { createRetriever, type Retriever } from '../src/retrieval/retriever.ts';
import { DEFAULT_TUNING } from '../src/config/tuning.ts';
import { candidateQuery, type Expansion } from '../src/retrieval/lexicalSearch.ts';
import { fakeEmbedder } from './helpers/fakeEmbedder.ts';
import { makeTempDir, removeDir } from './helpers/tempProject.ts';

const ARTICLE = `Harbour Town

Harbour Town is a fishing port on the north coast. Its lighthouse was built in 1871 by the engineer Mara Quill.

The harbour freezes in hard winters. Ships then wait at the southern anchorage.

Lighthouse

The lighthouse keeper in 1900 was Tomas Verrel. He kept a logbook of every storm. The logbook is now in the town museum.

Economy

Fishing and tourism are the main trades. Tourism grew after the railway arrived in 1902.
`;

const { retrieval } = DEFAULT_TUNING;
let root: string;
let retriever: Retriever;

beforeAll(async () => {
  root = await makeTempDir('retrieval');
  const corpusDir = path.join(root, 'corpus');
  const indexDir = path.join(root, 'index');
  await fs.mkdir(corpusDir);
  await fs.writeFile(path.join(corpusDir, 'harbour-town.txt'), ARTICLE);
  const embedder = fakeEmbedder();
  await buildIndex({ corpusDir, indexDir, embedder });
  retriever = createRetriever(await loadIndex(indexDir, { id: embedder.modelId, hash: embedder.modelHash }), embedder);
});
afterAll(async () => {
  retriever.close();
  await removeDir(root);
});

const search = async (question: string, context: string[] = []) =>
  retriever.search(await retriever.prepare(question, context, retrieval), retrieval);

describe('retrieval', () => {
  it('ranks the chunk that holds a rare name first, and returns chunk records, not positions', async () => {
    const [best] = await search('Who was Tomas Verrel?');
    expect(best!.chunk.text).toContain('The lighthouse keeper in 1900 was Tomas Verrel.');
    expect(best!.chunk.sectionPath).toEqual(['Lighthouse']);
    expect(best!.bm25).toBeGreaterThan(0);
  });

  it('finds a name with a typo', async () => {
    const [best] = await search('what did tomas verrell keep');
    expect(best!.chunk.sectionPath).toEqual(['Lighthouse']);
  });

  it('weighs words carried over from earlier turns less than the question’s own', async () => {
    const query = await retriever.prepare('When did the railway arrive?', ['lighthouse'], retrieval);
    const own = query.words.find((w) => w.word === 'railway')!;
    const carried = query.words.find((w) => w.word === 'lighthouse')!;
    expect(query.text).toBe('When did the railway arrive? lighthouse');
    expect(carried.weight / own.weight).toBeLessThan(1);
    expect(retriever.search(query, retrieval)[0]!.chunk.sectionPath).toEqual(['Economy']);
  });

  it('gives each chunk its paragraph, with every chunk of it in order at its offset', async () => {
    const [best] = await search('Who built the lighthouse in 1871?');
    const paragraph = retriever.paragraphOf(best!.chunk)!;
    expect(paragraph.text).toBe('Harbour Town is a fishing port on the north coast. Its lighthouse was built in 1871 by the engineer Mara Quill.');
    for (const { chunk, offset } of paragraph.chunks) expect(paragraph.text.slice(offset, offset + chunk.text.length)).toBe(chunk.text);
  });

  it('lists the sections with their text and where their sentences end', () => {
    const sections = retriever.sections();
    expect(sections.map((s) => s.label)).toEqual(['Harbour Town', 'Harbour Town › Lighthouse', 'Harbour Town › Economy']);
    const lead = retriever.sectionText(sections[0]!)!;
    expect(lead.sentenceEnds.map((end) => lead.text.slice(0, end).split(/\s+/).at(-1))).toEqual(['coast.', 'Quill.', 'winters.', 'anchorage.']);
    expect(retriever.sectionText({ articleId: 'harbour-town', sectionIndex: 9 })).toBeUndefined();
  });
});

describe('lexical candidates at scale', () => {
  const N = 100_000;
  const term = (name: string, df: number, weight = 1): Expansion => ({ source: name, termId: df, term: name, df, dfHeading: 0, dfBody: df, weight });
  const budget = { candidatePostings: 5_000, candidateTerms: 3 };

  it('reads the most telling terms first, and no more of them than the term budget', () => {
    // A rare exact word beats a common one; a prefix match (weight 0.5) of a rarer word can still be worth more.
    const query = candidateQuery([term('lighthous', 900), term('keeper', 40), term('keeperz', 5, 0.5), term('winter', 2_000), term('storm', 1_500)], N, budget);
    expect(query).toBe('"keeper" OR "keeperz" OR "lighthous"');
  });

  it('leaves out a term too common for the postings budget but reads the rarer ones', () => {
    expect(candidateQuery([term('coast', 4_800), term('harbour', 300), term('museum', 200)], N, { ...budget, candidateTerms: 8 })).toBe('"museum" OR "harbour"');
  });

  it('never reads a term in more than half of the chunks; when nothing fits, asks for chunks with both of the two most telling', () => {
    expect(candidateQuery([term('town', 60_000), term('port', 20_000), term('north', 30_000)], N, budget)).toBe('"port" AND "north"');
    expect(candidateQuery([term('town', 60_000)], N, budget)).toBeUndefined();
  });
});
