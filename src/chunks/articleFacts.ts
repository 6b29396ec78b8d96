import type { Article } from '../corpus/types.ts';
import type { Chunk } from './types.ts';
import { buildEntityLexicon, prepareSentence, sentenceFacts, type EntityType, type NameType } from './facts.ts';
import { mineAliases, type Alias } from './aliases.ts';
import { lexicalTerms } from '../text/tokens.ts';

/** What the index keeps of a sentence's facts (empty fields left out). */
export interface StoredFacts {
  person?: string[];
  organisation?: string[];
  place?: string[];
  years?: number[];
  /** How many numbers (counts, amounts) it states, years and dates apart. */
  numbers?: number;
  /** It leans on the sentence before it ("They …", "The commission …", "On this basis …", "… succeeded him"). */
  continues?: true;
  /** What it defines or glosses, as lexical keys of both names ("nkvd", "soviet secret polic"): the answer to "what was X?". */
  defines?: string[];
}

export interface ArticleFacts {
  /** For each chunk, for each of its sentences. */
  sentences: StoredFacts[][];
  /** The article's names, lower-cased, with their types (a name typed two ways is 'other'). */
  names: Map<string, NameType>;
  aliases: Alias[];
}

const ENTITY_TYPES: readonly EntityType[] = ['person', 'organisation', 'place'];
/** Third-person pronouns that name someone from before. */
const POINTS_BACK = /\b(?:he|him|his|she|her|hers)\b/i;

/**
 * The facts of an article's sentences, with names learnt from the article itself (a full name teaches its surname:
 * "Nikolai Yezhov" → "Yezhov"), so an incremental build computes an article's facts from that article alone.
 */
export function articleFacts(article: Article, chunks: readonly Chunk[]): ArticleFacts {
  const prepared = chunks.map((c) => c.sentences.map(([s, e]) => prepareSentence(c.text.slice(s, e))));
  const lexicon = buildEntityLexicon(prepared.flat());
  const sentences = chunks.map((chunk, c) => {
    const paragraphs = article.sections[chunk.sectionIndex]!.paragraphs;
    const paragraph = paragraphs[chunk.paragraph - 1]!;
    const before = paragraphs[chunk.paragraph - 2];
    return chunk.sentences.map(([s], i) => {
      const at = chunk.start + s - paragraph.start;
      // A sentence may lean on the paragraph so far; the first one only on a previous paragraph that ends with a colon.
      const previous = at > 0 ? paragraph.text.slice(0, at) : before && /:\s*$/.test(before.text) ? before.text : undefined;
      const facts = sentenceFacts(prepared[c]![i]!, { lexicon, ...(previous !== undefined ? { previous } : {}) });
      const stored: StoredFacts = {};
      for (const type of ENTITY_TYPES) if (facts.entities[type].length > 0) stored[type] = facts.entities[type];
      if (facts.years.length > 0) stored.years = facts.years;
      if (facts.numbers.length > 0) stored.numbers = facts.numbers.length;
      // "Lavrenty Beria succeeded him": a pronoun anywhere points back as well.
      if (facts.continuesPrevious || (previous !== undefined && POINTS_BACK.test(prepared[c]![i]!.text))) stored.continues = true;
      return stored;
    });
  });
  const flat = prepared.flat();
  const aliases = mineAliases(flat.map((p) => p.text), article.sections.flatMap((s) => s.paragraphs.map((p) => p.text)).join('\n'));
  const byFlatIndex = sentences.flat();
  for (const alias of aliases) {
    const facts = alias.sentence !== undefined ? byFlatIndex[alias.sentence] : undefined;
    if (facts) facts.defines = [...new Set([...(facts.defines ?? []), lexicalTerms(alias.alias).join(' '), lexicalTerms(alias.canonical).join(' ')])].filter(Boolean);
  }
  const names = new Map<string, NameType>(lexicon);
  for (const facts of sentences.flat()) {
    for (const type of ENTITY_TYPES) for (const name of facts[type] ?? []) names.set(name.toLowerCase(), names.get(name.toLowerCase()) === undefined || names.get(name.toLowerCase()) === type ? type : 'other');
  }
  return { sentences, names, aliases };
}
