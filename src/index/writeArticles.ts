import type { Article } from '../corpus/types.ts';
import type { Chunk } from '../chunks/types.ts';
import { embeddingText } from '../chunks/chunkArticle.ts';
import { stem, tokenize, topicWords } from '../text/tokens.ts';
import { sha256 } from './hash.ts';
import { chunkTerms, chunkTokens, deletionVariants, titleKey } from './lexicalTerms.ts';
import { lexicalTerms } from '../text/tokens.ts';
import { chunkWords } from './vocabulary.ts';
import type { ArticleFacts } from '../chunks/articleFacts.ts';
import { decodeIds, decodeTermCounts, encodeIds, encodeTermCounts, type Db, type TermCount } from './indexDb.ts';

/** A chunk of this build that needs a vector in the graph: embed `text`, or copy the point of `reuseLabel`. */
export interface PendingVector {
  label: number;
  text: string;
  /** A label of the graph this build started from whose chunk had exactly this embedded text. */
  reuseLabel?: number;
}

export interface ArticleWriter {
  /** Writes an article, its chunks and their facts; a chunk that keeps its id and embedded text keeps its label (and graph point). */
  insert(article: Article, chunks: readonly Chunk[], facts: ArticleFacts, position: number): void;
  /** An unchanged article moves to another place in corpus order. */
  move(slug: string, position: number): void;
  /** Removes an article with everything that belongs to it. */
  remove(slug: string): void;
  /** Chunks written since the last call that need a vector, in order. */
  takePending(): PendingVector[];
  /** Labels of removed chunks that no new chunk took over: they leave the graph. */
  freedLabels(): number[];
  /** Words new to the vocabulary since the last call (they need a vector in words.bin). */
  takeNewWords(): Array<{ id: number; word: string }>;
  /** Writes the vocabulary counts of this build, drops words and terms that no chunk uses any more, and writes the typo variants of new terms and the names of the articles written. Call once, last. */
  pruneVocabulary(): void;
}

/** What identifies a chunk's content across builds: its id and the text that was embedded for it. */
const contentKey = (chunkId: string, embedHash: string) => `${chunkId}\u0000${embedHash}`;

/**
 * Writes articles into an index database and keeps the vocabulary counts (words.uses and df, terms.df) in step with
 * the chunks written and removed. `firstNewLabel` is one more than the largest label of the graph the build started
 * from (0 without one): only labels below it can lend their point to a new chunk.
 */
export function createArticleWriter(db: Db, options: { typoMinLength: number; graphLabelsBelow: number }): ArticleWriter {
  // An article's names are staged and written at the end in key order (see pruneVocabulary): inserted as articles
  // came, each went to a random page of the names table, a tenth of the database time of a 100,000-chunk build.
  db.exec('CREATE TEMP TABLE new_names (key TEXT NOT NULL, article_id INTEGER NOT NULL, type TEXT NOT NULL)');
  const st = {
    articleBySlug: db.prepare('SELECT id FROM articles WHERE slug = ?'),
    insertArticle: db.prepare(
      'INSERT INTO articles (slug, title, file, source_url, sha256, chunks_hash, position, title_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    setOpening: db.prepare('UPDATE articles SET opening_label = ? WHERE id = ?'),
    moveArticle: db.prepare('UPDATE articles SET position = ? WHERE slug = ?'),
    deleteArticle: db.prepare('DELETE FROM articles WHERE id = ?'),
    insertSection: db.prepare('INSERT INTO sections (article_id, position, heading, path, is_reference) VALUES (?, ?, ?, ?, ?)'),
    insertParagraph: db.prepare('INSERT INTO paragraphs (section_id, position, start, text) VALUES (?, ?, ?, ?)'),
    insertChunk: db.prepare(
      'INSERT INTO chunks (label, id, paragraph_id, start, end, embed_hash, words, terms, heading_length, body_length) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertSentence: db.prepare('INSERT INTO sentences (chunk_label, position, start, end, facts, words) VALUES (?, ?, ?, ?, ?, ?)'),
    stageName: db.prepare('INSERT INTO new_names (key, article_id, type) VALUES (?, ?, ?)'),
    insertAlias: db.prepare('INSERT INTO aliases (article_id, alias, alias_key, canonical, canonical_key, pattern) VALUES (?, ?, ?, ?, ?, ?)'),
    insertFts: db.prepare('INSERT INTO chunk_text (rowid, heading, body) VALUES (?, ?, ?)'),
    deleteFts: db.prepare('DELETE FROM chunk_text WHERE rowid = ?'),
    chunksOfArticle: db.prepare(
      `SELECT c.label, c.id, c.embed_hash, c.words, c.terms, substr(p.text, c.start + 1, c.end - c.start) AS text
       FROM chunks c JOIN paragraphs p ON p.id = c.paragraph_id JOIN sections s ON s.id = p.section_id WHERE s.article_id = ?`,
    ),
    labelByEmbedHash: db.prepare('SELECT label FROM chunks WHERE embed_hash = ? AND label < ? LIMIT 1'),
    maxLabel: db.prepare('SELECT MAX(label) AS label FROM chunks'),
    wordByText: db.prepare('SELECT id FROM words WHERE word = ?'),
    wordById: db.prepare('SELECT word FROM words WHERE id = ?'),
    insertWord: db.prepare('INSERT INTO words (word, stem, df, uses) VALUES (?, ?, 0, 0)'),
    countWord: db.prepare('UPDATE words SET uses = uses + ?, df = df + ? WHERE id = ?'),
    termByText: db.prepare('SELECT id FROM terms WHERE term = ?'),
    insertTerm: db.prepare('INSERT INTO terms (term, df, df_heading, df_body) VALUES (?, 0, 0, 0)'),
    countTerm: db.prepare('UPDATE terms SET df = df + ?, df_heading = df_heading + ?, df_body = df_body + ? WHERE id = ?'),
    pruneWords: db.prepare('DELETE FROM words WHERE uses <= 0'),
    pruneTerms: db.prepare('DELETE FROM terms WHERE df <= 0'),
  };

  let nextLabel = Math.max(options.graphLabelsBelow, ((st.maxLabel.get() as { label: number | null }).label ?? -1) + 1);
  let pending: PendingVector[] = [];
  let newWords: Array<{ id: number; word: string }> = [];
  /** Labels of the chunks removed in this build, by content, until a new chunk with the same content takes one over. */
  const released = new Map<string, number>();

  // Ids and count changes are kept in memory during the build and the counts written once at the end: a statement
  // per word occurrence was most of the database time (a build's vocabulary fits in memory; its text does not).
  const wordIds = new Map<string, number>();
  const termIds = new Map<string, number>();
  const wordCountChanges = new Map<number, { uses: number; df: number }>();
  const termCountChanges = new Map<number, { df: number; heading: number; body: number }>();
  /** Terms new to the index that typos may reach: their variants are written at the end, in key order. */
  const newTerms: Array<{ id: number; term: string }> = [];

  function wordId(word: string): number {
    const known = wordIds.get(word);
    if (known !== undefined) return known;
    const row = st.wordByText.get(word) as { id: number } | undefined;
    const id = row ? row.id : Number(st.insertWord.run(word, stem(word)).lastInsertRowid);
    if (!row) newWords.push({ id, word });
    wordIds.set(word, id);
    return id;
  }

  function termId(term: string): number {
    const known = termIds.get(term);
    if (known !== undefined) return known;
    const row = st.termByText.get(term) as { id: number } | undefined;
    const id = row ? row.id : Number(st.insertTerm.run(term).lastInsertRowid);
    if (!row && [...term].length >= options.typoMinLength) newTerms.push({ id, term });
    termIds.set(term, id);
    return id;
  }

  /** Adds (+1) or takes away (−1) one chunk's words and terms from the vocabulary counts (written by flushCounts). */
  function count(sign: 1 | -1, ids: ArrayLike<number>, words: readonly string[], textTokens: readonly string[], terms: readonly TermCount[]): void {
    const inText = new Set(textTokens);
    for (let i = 0; i < ids.length; i++) {
      const c = wordCountChanges.get(ids[i]!) ?? wordCountChanges.set(ids[i]!, { uses: 0, df: 0 }).get(ids[i]!)!;
      c.uses += sign;
      if (inText.has(words[i]!)) c.df += sign;
    }
    for (const t of terms) {
      const c = termCountChanges.get(t.termId) ?? termCountChanges.set(t.termId, { df: 0, heading: 0, body: 0 }).get(t.termId)!;
      c.df += sign;
      if (t.heading > 0) c.heading += sign;
      if (t.body > 0) c.body += sign;
    }
  }

  function flushCounts(): void {
    for (const [id, c] of wordCountChanges) if (c.uses !== 0 || c.df !== 0) st.countWord.run(c.uses, c.df, id);
    for (const [id, c] of termCountChanges) if (c.df !== 0 || c.heading !== 0 || c.body !== 0) st.countTerm.run(c.df, c.heading, c.body, id);
    wordCountChanges.clear();
    termCountChanges.clear();
  }

  function remove(slug: string): void {
    const article = st.articleBySlug.get(slug) as { id: number } | undefined;
    if (!article) return;
    const rows = st.chunksOfArticle.all(article.id) as Array<{ label: number; id: string; embed_hash: string; words: Buffer; terms: Buffer; text: string }>;
    for (const row of rows) {
      const ids = decodeIds(row.words);
      const words = [...ids].map((id) => (st.wordById.get(id) as { word: string }).word);
      count(-1, ids, words, tokenize(row.text), decodeTermCounts(row.terms));
      st.deleteFts.run(row.label);
      released.set(contentKey(row.id, row.embed_hash), row.label);
    }
    st.deleteArticle.run(article.id);
  }

  function insert(article: Article, chunks: readonly Chunk[], facts: ArticleFacts, position: number): void {
    const articleRow = st.insertArticle.run(
      article.id, article.title, article.file, article.sourceUrl ?? null, sha256(article.source), articleChunksHash(article, chunks, facts), position,
      titleKey(lexicalTerms(article.title)),
    );
    const articleId = Number(articleRow.lastInsertRowid);
    const paragraphs = article.sections.map((section, s) => {
      const sectionId = Number(st.insertSection.run(articleId, s, section.heading, JSON.stringify(section.path), section.isReference ? 1 : 0).lastInsertRowid);
      return section.paragraphs.map((p, i) => ({ id: Number(st.insertParagraph.run(sectionId, i + 1, p.start, p.text).lastInsertRowid), start: p.start }));
    });
    for (const [name, type] of facts.names) {
      const key = lexicalTerms(name).join(' ');
      if (key) st.stageName.run(key, articleId, type);
    }
    for (const a of facts.aliases) {
      const aliasKey = lexicalTerms(a.alias).join(' ');
      const canonicalKey = lexicalTerms(a.canonical).join(' ');
      if (aliasKey && canonicalKey) st.insertAlias.run(articleId, a.alias, aliasKey, a.canonical, canonicalKey, a.pattern);
    }
    for (const [c, chunk] of chunks.entries()) {
      const paragraph = paragraphs[chunk.sectionIndex]![chunk.paragraph - 1]!;
      const text = embeddingText(chunk);
      const embedHash = sha256(text);
      const key = contentKey(chunk.id, embedHash);
      let label = released.get(key);
      if (label !== undefined) {
        released.delete(key);
      } else {
        label = nextLabel++;
        const lender = st.labelByEmbedHash.get(embedHash, options.graphLabelsBelow) as { label: number } | undefined;
        pending.push({ label, text, ...(lender ? { reuseLabel: lender.label } : {}) });
      }
      const tokens = chunkTokens(chunk);
      const words = chunkWords(tokens);
      const ids = words.map(wordId);
      const { heading, body } = chunkTerms(tokens);
      const terms = termCounts(heading, body, termId);
      count(1, ids, words, tokens.text, terms);
      st.insertChunk.run(
        label, chunk.id, paragraph.id, chunk.start - paragraph.start, chunk.end - paragraph.start, embedHash,
        encodeIds(ids), encodeTermCounts(terms), new Set(tokens.heading).size, new Set(tokens.text).size,
      );
      const idOf = new Map(words.map((w, i) => [w, ids[i]!]));
      chunk.sentences.forEach(([start, end], i) => {
        const sentenceWords = topicWords(tokenize(chunk.text.slice(start, end))).map((w) => idOf.get(w) ?? wordId(w));
        st.insertSentence.run(label, i, start, end, JSON.stringify(facts.sentences[c]![i]!), encodeIds(sentenceWords));
      });
      st.insertFts.run(label, heading.join(' '), body.join(' '));
      if (chunk === chunks[0]) st.setOpening.run(label, articleId);
    }
  }

  return {
    insert,
    remove,
    move: (slug, position) => void st.moveArticle.run(position, slug),
    takePending: () => {
      const out = pending;
      pending = [];
      return out;
    },
    freedLabels: () => [...released.values()],
    takeNewWords: () => {
      const out = newWords;
      newWords = [];
      return out;
    },
    pruneVocabulary: () => {
      flushCounts();
      st.pruneWords.run();
      st.pruneTerms.run();
      // Written sorted, the variants' B-tree grows at its end (inserted as terms came, each went to a random page: a
      // tenth of a 100,000-chunk build), and SQLite does the sorting: 1.26 million variants at 100,000 chunks.
      db.exec('CREATE TEMP TABLE new_variants (variant TEXT NOT NULL, term_id INTEGER NOT NULL)');
      const stage = db.prepare('INSERT INTO new_variants (variant, term_id) VALUES (?, ?)');
      for (const t of newTerms) for (const variant of deletionVariants(t.term)) stage.run(variant, t.id);
      db.exec(`INSERT OR IGNORE INTO term_variants (variant, term_id)
               SELECT variant, term_id FROM new_variants WHERE term_id IN (SELECT id FROM terms) ORDER BY variant, term_id`);
      db.exec('DROP TABLE new_variants');
      newTerms.length = 0;
      // Two names of an article with the same key: the later one's type stands, as when they were written one by one.
      db.exec(`INSERT OR REPLACE INTO names (key, article_id, type)
               SELECT key, article_id, type FROM new_names WHERE article_id IN (SELECT id FROM articles) ORDER BY key, article_id, rowid`);
      db.exec('DELETE FROM new_names');
    },
  };
}

/** Each distinct term with its counts in the heading and in the body. */
function termCounts(heading: readonly string[], body: readonly string[], termId: (term: string) => number): TermCount[] {
  const counts = new Map<string, { heading: number; body: number }>();
  for (const t of heading) (counts.get(t) ?? counts.set(t, { heading: 0, body: 0 }).get(t)!).heading++;
  for (const t of body) (counts.get(t) ?? counts.set(t, { heading: 0, body: 0 }).get(t)!).body++;
  return [...counts].map(([term, c]) => ({ termId: termId(term), ...c }));
}

/**
 * A hash of everything the index stores of an article: title, source, sections, paragraphs and chunks (ids, places,
 * sentences). The index fingerprint is made of these, so `build-index --check` sees any change in what a fresh build
 * of the corpus would store.
 */
export function articleChunksHash(article: Article, chunks: readonly Chunk[], facts: ArticleFacts): string {
  return sha256(
    JSON.stringify({
      title: article.title,
      file: article.file,
      sourceUrl: article.sourceUrl ?? null,
      sections: article.sections.map((s) => [s.heading, s.path, s.isReference, s.paragraphs.map((p) => [p.start, p.text])]),
      chunks: chunks.map((c) => [c.id, c.sectionIndex, c.paragraph, c.start, c.end, c.sentences]),
      facts: facts.sentences,
      names: [...facts.names],
      aliases: facts.aliases,
    }),
  );
}
