import type { Embedder } from '../embeddings/types.ts';
import { BUILD_TUNING, type Tuning } from '../config/tuning.ts';
import type { OpenIndex } from '../index/loadIndex.ts';
import { decodeIds, decodeTermCounts, groupSentences, readMeta, type SentenceRow, type TermCount } from '../index/indexDb.ts';
import { searchHnsw } from '../index/hnsw.ts';
import { lexicalTerm, questionTerms } from '../text/tokens.ts';
import { createLexicalSearch } from './lexicalSearch.ts';
import { deletionVariants } from '../index/lexicalTerms.ts';
import { queryWords, type QueryWordSpec } from './wordAlignment.ts';
import { asksForSources, expectedAnswerType } from './answerType.ts';
import { analyzeQuestion, type NameFinder, type QuestionAnalysis } from './question.ts';
import { lexicalTerms } from '../text/tokens.ts';
import { editDistance } from '../text/editDistance.ts';
import type { NameType } from '../chunks/facts.ts';
import { overviewKeys } from './overview.ts';
import { hybridSearch, type IndexedChunk } from './hybridSearch.ts';
import type { ChunkRecord, IndexInfo, ParagraphRecord, PreparedQuery, RankedChunk, SectionInfo, SectionText, SentenceMatch } from './types.ts';

/**
 * An index ready for questions. The index's own keys (chunk labels, row ids) stay inside this module: callers get
 * chunk records, their paragraphs and their sections.
 */
export interface Retriever {
  /** Embeds and weighs a query once: the question, plus topic words carried over from earlier turns. */
  prepare(question: string, context: readonly string[], tuning: Tuning['retrieval']): Promise<PreparedQuery>;
  /** Chunks ranked for the query, best first (BM25, dense neighbours and word alignment, fused). */
  search(query: PreparedQuery, tuning: Tuning['retrieval']): RankedChunk[];
  /** What a question asks, with its names matched to the corpus's (the analysis `prepare` makes, without embedding). */
  analyze(question: string): QuestionAnalysis;
  /** True when the corpus has each of these words (one typo allowed): whether a name of the question is there at all. */
  mentions(text: string): boolean;
  /** How each sentence of a chunk meets the query's words (in the order of `chunk.sentences`). */
  sentenceMatches(query: PreparedQuery, chunk: ChunkRecord): SentenceMatch[];
  /** The paragraph a chunk was cut from, with all its chunks in order. */
  paragraphOf(chunk: ChunkRecord): ParagraphRecord | undefined;
  /** Source URL of an article, when it has one. */
  sourceUrl(articleId: string): string | undefined;
  /** Table of contents, in article order (without the sections' text, which `sectionText` reads). */
  sections(): SectionInfo[];
  sectionText(section: Pick<SectionInfo, 'articleId' | 'sectionIndex'>): SectionText | undefined;
  info(): IndexInfo;
  /** Fingerprint of the index generation (a new one means a new index). */
  fingerprint: string;
  /** Releases the index (after the last question that uses it). */
  close(): void;
}

/**
 * Longest name (in lexical terms) an alias stands for that a question is searched with too: "NKVD", "Dewey Commission",
 * "Yezhovshchina"; a description as long as "Communist Party of the Soviet Union" adds only common words.
 */
const ALIAS_NAME_TERMS = 3;

/** Runs of question terms whose aliases are remembered (most are no alias at all); past it the memo starts afresh. */
const ALIAS_CACHE = 20_000;

/** Chunk records kept in memory between questions (the whole corpus when it is this small). */
const RECORD_CACHE = 5000;

interface Row {
  label: number;
  id: string;
  start: number;
  end: number;
  article_id: string;
  article_title: string;
  section_path: string;
  section_index: number;
  is_reference: number;
  paragraph_id: number;
  paragraph: number;
  paragraph_text: string;
  words: Buffer;
  terms: Buffer;
  heading_length: number;
  body_length: number;
}

/** Derives what retrieval needs from an open index: prepared statements, the vocabulary, the table of contents. */
export function createRetriever(index: OpenIndex, embedder: Embedder): Retriever {
  const { db, vocabulary, manifest } = index;
  const chunkCount = manifest.counts.chunks;
  const meta = readMeta(db);
  const stats = { chunks: chunkCount, averageHeadingLength: Number(meta.get('average_heading_length')) || 1, averageBodyLength: Number(meta.get('average_body_length')) || 1 };
  const st = {
    records: db.prepare(
      `SELECT r.*, c.words, c.terms, c.heading_length, c.body_length FROM chunk_records r JOIN chunks c ON c.label = r.label WHERE r.label IN (SELECT value FROM json_each(?))`,
    ),
    sentences: db.prepare(
      'SELECT chunk_label, start, end, facts, words FROM sentences WHERE chunk_label IN (SELECT value FROM json_each(?)) ORDER BY chunk_label, position',
    ),
    paragraphLabels: db.prepare('SELECT label FROM chunks WHERE paragraph_id = ? ORDER BY start'),
    paragraphText: db.prepare('SELECT text FROM paragraphs WHERE id = ?'),
    allLabels: db.prepare('SELECT label FROM chunks ORDER BY label'),
    wordId: db.prepare('SELECT id FROM words WHERE word = ?'),
    term: db.prepare('SELECT 1 FROM terms WHERE term = ?'),
    termDf: db.prepare('SELECT df FROM terms WHERE term = ?'),
    nameTypes: db.prepare('SELECT type, COUNT(*) AS n FROM names WHERE key = ? GROUP BY type ORDER BY n DESC'),
    // A defining sentence's long description ('term') is not another name for the thing.
    aliasesOf: db.prepare(
      `SELECT alias_key, canonical_key, MIN(canonical) AS canonical FROM aliases
       WHERE alias_key IN (SELECT value FROM json_each(?)) AND pattern <> 'term' GROUP BY alias_key, canonical_key`,
    ),
    typoTerms: db.prepare(
      `SELECT t.term FROM term_variants v JOIN terms t ON t.id = v.term_id WHERE v.variant IN (SELECT value FROM json_each(?))
       UNION SELECT term FROM terms WHERE term IN (SELECT value FROM json_each(?))`,
    ),
    articleByTitleKey: db.prepare('SELECT opening_label FROM articles WHERE title_key = ? ORDER BY position LIMIT 1'),
    sourceUrl: db.prepare('SELECT source_url FROM articles WHERE slug = ?'),
    sections: db.prepare(
      `SELECT a.slug, a.title, a.source_url, s.position, s.path, s.is_reference FROM sections s JOIN articles a ON a.id = s.article_id
       ORDER BY a.position, s.position`,
    ),
    sectionParagraphs: db.prepare(
      `SELECT p.id, p.text FROM paragraphs p JOIN sections s ON s.id = p.section_id JOIN articles a ON a.id = s.article_id
       WHERE a.slug = ? AND s.position = ? ORDER BY p.position`,
    ),
  };
  const lexical = createLexicalSearch(db, chunkCount, BUILD_TUNING.typoMinLength);
  const dims = vocabulary.dimensions;
  const wordId = (word: string) => (st.wordId.get(word) as { id: number } | undefined)?.id;
  const idf = (df: number) => Math.log(1 + (chunkCount + 1) / (df + 1));

  /** Records by label, newest use last; the index's chunks themselves are never all held unless the corpus is small. */
  const cache = new Map<number, IndexedChunk>();
  const recordKeys = new WeakMap<ChunkRecord, { paragraphId: number; sentenceWordIds: Int32Array[] }>();
  /** Paragraphs read for quoting, oldest dropped first (a generation never changes, so nothing goes stale). */
  const paragraphCache = new Map<number, ParagraphRecord>();
  function records(labels: readonly number[]): Map<number, IndexedChunk> {
    const out = new Map<number, IndexedChunk>();
    const missing: number[] = [];
    for (const label of labels) {
      const hit = cache.get(label);
      if (hit) {
        cache.delete(label);
        cache.set(label, hit);
        out.set(label, hit);
      } else missing.push(label);
    }
    if (missing.length > 0) {
      const json = JSON.stringify(missing);
      const sentences = groupSentences(st.sentences.all(json) as SentenceRow[]);
      for (const row of st.records.all(json) as Row[]) {
        const chunk: ChunkRecord = {
          id: row.id,
          articleId: row.article_id,
          articleTitle: row.article_title,
          sectionPath: JSON.parse(row.section_path) as string[],
          sectionIndex: row.section_index,
          paragraph: row.paragraph,
          text: row.paragraph_text.slice(row.start, row.end),
          sentences: sentences.get(row.label)?.spans ?? [],
          facts: sentences.get(row.label)?.facts ?? [],
          isReference: row.is_reference === 1,
        };
        const sentenceWordIds = sentences.get(row.label)?.wordIds ?? [];
        recordKeys.set(chunk, { paragraphId: row.paragraph_id, sentenceWordIds });
        const counts = new Map<number, TermCount>(decodeTermCounts(row.terms).map((c) => [c.termId, c]));
        const indexed: IndexedChunk = {
          label: row.label,
          chunk,
          wordIds: decodeIds(row.words),
          sentenceWordIds,
          termCounts: counts,
          headingLength: row.heading_length,
          bodyLength: row.body_length,
          offsetInParagraph: row.start,
        };
        out.set(row.label, indexed);
        cache.set(row.label, indexed);
      }
      while (cache.size > RECORD_CACHE) cache.delete(cache.keys().next().value as number);
    }
    return out;
  }
  const everyLabel = chunkCount < RECORD_CACHE ? (st.allLabels.all() as Array<{ label: number }>).map((r) => r.label) : undefined;

  /** The type of the names a key stands for; a name typed two ways across articles takes its most common type. */
  const nameType = (key: string): NameType | undefined => (st.nameTypes.get(key) as { type: NameType } | undefined)?.type;
  /** A question's words as a name of the corpus: exactly, or (one word of five letters or more) with one typo. */
  /** Lexical terms of the corpus within one edit of `term` (none for short terms, whose typos are too many). */
  const nearTerms = (term: string): string[] => {
    if ([...term].length < BUILD_TUNING.typoMinLength) return [];
    const deletions = deletionVariants(term);
    return (st.typoTerms.all(JSON.stringify([term, ...deletions]), JSON.stringify(deletions)) as Array<{ term: string }>)
      .map((r) => r.term)
      .filter((t) => t !== term && editDistance(t, term, 1) <= 1);
  };
  const isCorpusTerm = (term: string): boolean => st.term.get(term) !== undefined || nearTerms(term).length > 0;
  const findName: NameFinder = (words) => {
    const terms = lexicalTerms(words);
    const key = terms.join(' ');
    if (!key) return undefined;
    const exact = nameType(key);
    if (exact) return { name: key, type: exact };
    if (terms.length !== 1) return undefined;
    const near = nearTerms(key);
    for (const term of near) {
      const type = nameType(term);
      if (type) return { name: term, type };
    }
    return undefined;
  };

  /** For each run of terms seen, the names it is an alias of (the table repeats an alias in every article that glosses it). */
  const aliasNames = new Map<string, Array<{ canonical: string; canonicalKey: string }>>();
  /**
   * The names the corpus itself gives what a question calls by another name: "the Soviet secret police" is the NKVD,
   * "the Yezhov era" the Yezhovshchina (see chunks/aliases.ts). `keys`: the question's runs of lexical terms.
   */
  function namesForAliases(keys: ReadonlySet<string>): string[] {
    const unseen = [...keys].filter((key) => !aliasNames.has(key));
    if (unseen.length > 0) {
      if (aliasNames.size > ALIAS_CACHE) aliasNames.clear();
      for (const key of unseen) aliasNames.set(key, []);
      // At most as many chunks have a phrase as have its rarest term.
      const chunksWith = (key: string) => Math.min(...key.split(' ').map((t) => (st.termDf.get(t) as { df: number } | undefined)?.df ?? 0));
      // One lookup for all the question's new runs of terms: one per run was a tenth of answering at 100,000 chunks.
      for (const row of st.aliasesOf.all(JSON.stringify(unseen)) as Array<{ alias_key: string; canonical: string; canonical_key: string }>) {
        // Only short names, and only when the corpus writes the name more than the alias: "rehabilitated" is the
        // article's own word, and its gloss "declared innocent" would only pull up the one sentence that glosses it.
        if (row.canonical_key.split(' ').length <= ALIAS_NAME_TERMS && chunksWith(row.alias_key) < chunksWith(row.canonical_key)) {
          aliasNames.get(row.alias_key)!.push({ canonical: row.canonical, canonicalKey: row.canonical_key });
        }
      }
    }
    const names: string[] = [];
    for (const key of keys) {
      for (const { canonical, canonicalKey } of aliasNames.get(key)!) if (!keys.has(canonicalKey) && !names.includes(canonical)) names.push(canonical);
    }
    return names;
  }

  async function prepare(question: string, context: readonly string[], tuning: Tuning['retrieval']): Promise<PreparedQuery> {
    const analysis = analyzeQuestion(question, findName);
    const keys = termRuns(lexicalTerms(question));
    const text = [question, ...namesForAliases(keys), ...context].join(' ');
    const contextSet = new Set(context);
    // Words that only say what kind of answer is wanted ("year" in "in what year") are not its topic.
    const typeWords = new Set(analysis.answerTypeWords);
    const terms = questionTerms(text).filter((t) => !typeWords.has(t));
    const vector = await embedder.embedQuery(text);
    // Words the corpus lacks still get a vector, so "shot" can meet "executed"; one model call for all of them.
    const ids = terms.map(wordId);
    const unknown = terms.filter((_, i) => ids[i] === undefined);
    const fresh = unknown.length > 0 ? await embedder.embedPassages(unknown) : [];
    const freshByWord = new Map(unknown.map((w, i) => [w, fresh[i]!]));
    const specs: QueryWordSpec[] = terms.map((word, i) => {
      const id = ids[i];
      const wordVector = id !== undefined ? vocabulary.vectors.subarray(id * dims, (id + 1) * dims) : freshByWord.get(word)!;
      const weight = (id !== undefined ? idf(vocabulary.df[id]!) : tuning.fusion.unknownWord * idf(0)) * (contextSet.has(word) ? tuning.fusion.contextWeight : 1);
      return { word, weight, vector: wordVector.some((x) => x !== 0) ? wordVector : undefined };
    });
    const { words, bestMatches } = queryWords(specs, vocabulary, tuning.spelling);
    return {
      question,
      text,
      terms,
      context: contextSet,
      vector,
      words,
      bestMatches,
      answerType: expectedAnswerType(text),
      preferReferences: asksForSources(question),
      analysis,
      keys,
    };
  }

  function search(query: PreparedQuery, tuning: Tuning['retrieval']): RankedChunk[] {
    const lexicalQuery = query.terms.flatMap((word) => {
      const term = lexicalTerm(word);
      return term === null ? [] : [{ term, weight: query.context.has(word) ? tuning.fusion.contextWeight : 1 }];
    });
    const expansions = lexical.expand(lexicalQuery, tuning.lexical);
    const opening = overviewKeys(query.text)
      .map((key) => (st.articleByTitleKey.get(key) as { opening_label: number | null } | undefined)?.opening_label)
      .find((label): label is number => typeof label === 'number');
    return hybridSearch(
      {
        stats,
        everyLabel,
        records,
        lexicalCandidates: (limit) => lexical.candidates(expansions, limit, tuning.lexical),
        dense: (vector, k) => searchHnsw(index.hnsw, vector, k, chunkCount),
      },
      query,
      { expansions, lexicalTerms: lexicalQuery.length, opening },
      tuning,
    );
  }

  const sectionList: SectionInfo[] = (
    st.sections.all() as Array<{ slug: string; title: string; source_url: string | null; position: number; path: string; is_reference: number }>
  ).map((r) => {
    const sectionPath = JSON.parse(r.path) as string[];
    return {
      articleId: r.slug,
      articleTitle: r.title,
      sectionPath,
      sectionIndex: r.position,
      label: [r.title, ...sectionPath].join(' › '),
      isReference: r.is_reference === 1,
      ...(r.source_url ? { url: r.source_url } : {}),
    };
  });

  return {
    prepare,
    search,
    analyze: (question) => analyzeQuestion(question, findName),
    mentions(text) {
      const terms = lexicalTerms(text);
      // Word by word, a typo allowed ("Memorial Socety", "Molotov-led"): a name the corpus spells its own way is still there.
      return terms.every(isCorpusTerm);
    },
    sentenceMatches(query, chunk) {
      const ids = recordKeys.get(chunk)?.sentenceWordIds;
      return chunk.sentences.map((_, i) => query.bestMatches(ids?.[i] ?? []));
    },
    paragraphOf(chunk) {
      const key = recordKeys.get(chunk);
      if (!key) return undefined;
      const cached = paragraphCache.get(key.paragraphId);
      if (cached) return cached;
      const labels = (st.paragraphLabels.all(key.paragraphId) as Array<{ label: number }>).map((r) => r.label);
      const found = records(labels);
      const members = labels.map((l) => found.get(l)).filter((m): m is IndexedChunk => m !== undefined);
      if (members.length === 0) return undefined;
      const paragraphText = (st.paragraphText.get(key.paragraphId) as { text: string }).text;
      const paragraph = { text: paragraphText, chunks: members.map((m) => ({ chunk: m.chunk, offset: m.offsetInParagraph })) };
      if (paragraphCache.size >= RECORD_CACHE) paragraphCache.delete(paragraphCache.keys().next().value!);
      paragraphCache.set(key.paragraphId, paragraph);
      return paragraph;
    },
    sourceUrl: (articleId) => (st.sourceUrl.get(articleId) as { source_url: string | null } | undefined)?.source_url ?? undefined,
    sections: () => sectionList,
    sectionText(section) {
      const paragraphs = st.sectionParagraphs.all(section.articleId, section.sectionIndex) as Array<{ id: number; text: string }>;
      if (paragraphs.length === 0 && !sectionList.some((s) => s.articleId === section.articleId && s.sectionIndex === section.sectionIndex)) return undefined;
      const sentenceEnds: number[] = [];
      let offset = 0;
      for (const p of paragraphs) {
        const labels = (st.paragraphLabels.all(p.id) as Array<{ label: number }>).map((r) => r.label);
        for (const member of records(labels).values()) for (const [, end] of member.chunk.sentences) sentenceEnds.push(offset + member.offsetInParagraph + end);
        sentenceEnds.push(offset + p.text.length);
        offset += p.text.length + PARAGRAPH_BREAK.length;
      }
      return { text: paragraphs.map((p) => p.text).join(PARAGRAPH_BREAK), sentenceEnds: [...new Set(sentenceEnds)].sort((a, b) => a - b) };
    },
    info: () => ({ ...manifest.counts, modelId: manifest.model.id, builtAt: manifest.builtAt, fingerprint: manifest.fingerprint }),
    fingerprint: manifest.fingerprint,
    close: () => index.close(),
  };
}

const PARAGRAPH_BREAK = '\n\n';

/** Every contiguous run of terms, space-separated (at most six terms long). */
function termRuns(terms: readonly string[]): Set<string> {
  const runs = new Set<string>();
  for (let i = 0; i < terms.length; i++) for (let n = 1; n <= 6 && i + n <= terms.length; n++) runs.add(terms.slice(i, i + n).join(' '));
  return runs;
}

