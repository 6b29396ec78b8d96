import type { Tuning } from '../config/tuning.ts';
import { deletionVariants, ftsPhrase } from '../index/lexicalTerms.ts';
import type { Db, TermCount } from '../index/indexDb.ts';

/** A query's lexical term (a stem) and how much it counts (words carried over from earlier turns count less). */
export interface LexicalQueryTerm {
  term: string;
  weight: number;
}

/** A term of the index that a query term reaches: itself, a longer word it begins, or the word with one typo. */
export interface Expansion {
  /** The query term it stands for. */
  source: string;
  termId: number;
  term: string;
  /** Chunks with the term anywhere, in their heading path, in their text. */
  df: number;
  dfHeading: number;
  dfBody: number;
  weight: number;
}

type TermRow = { id: number; term: string; df: number; df_heading: number; df_body: number };

type LexicalOptions = Tuning['retrieval']['lexical'];

/** Most index terms one query word may begin ("purg" → "purge", "purged", …), the shortest first. */
const PREFIX_LIMIT = 20;

export interface LexicalSearch {
  /** The index terms the query's terms reach, each with its weight: exact 1, prefix and typo matches less. */
  expand(terms: readonly LexicalQueryTerm[], options: LexicalOptions): Expansion[];
  /**
   * The best `limit` chunks by FTS5's BM25 over the most telling expansions (see candidateQuery).
   */
  candidates(expansions: readonly Expansion[], limit: number, options: LexicalOptions): number[];
}

export function createLexicalSearch(db: Db, chunkCount: number, typoMinLength: number): LexicalSearch {
  const st = {
    exact: db.prepare('SELECT id, term, df, df_heading, df_body FROM terms WHERE term = ?'),
    fts: db.prepare('SELECT rowid AS label FROM chunk_text WHERE chunk_text MATCH ? ORDER BY bm25(chunk_text, ?, 1.0) LIMIT ?'),
    prefix: db.prepare('SELECT id, term, df, df_heading, df_body FROM terms WHERE term > ? AND term < ? ORDER BY term LIMIT 200'),
    typo: db.prepare(
      `SELECT t.id, t.term, t.df, t.df_heading, t.df_body FROM term_variants v JOIN terms t ON t.id = v.term_id
       WHERE v.variant IN (SELECT value FROM json_each(?))
       UNION SELECT id, term, df, df_heading, df_body FROM terms WHERE term IN (SELECT value FROM json_each(?))`,
    ),
  };
  return {
    expand(terms, options) {
      const out: Expansion[] = [];
      for (const { term, weight } of terms) {
        // As MiniSearch weighs them: a prefix match fades slowly with the letters it adds, a typo match faster; a
        // term reached both ways counts as a prefix match.
        const reached = new Map<number, Expansion>();
        const reach = (row: TermRow, w: number) => {
          if (!reached.has(row.id)) reached.set(row.id, { source: term, termId: row.id, term: row.term, df: row.df, dfHeading: row.df_heading, dfBody: row.df_body, weight: w });
        };
        const exact = st.exact.get(term) as TermRow | undefined;
        if (exact) reach(exact, weight);
        const length = [...term].length;
        if (length >= typoMinLength) {
          const prefixed = (st.prefix.all(term, `${term}\uffff`) as TermRow[])
            .sort((a, b) => a.term.length - b.term.length || (a.term < b.term ? -1 : 1))
            .slice(0, PREFIX_LIMIT);
          for (const p of prefixed) {
            const longer = [...p.term].length;
            reach(p, weight * ((options.prefixWeight * longer) / (longer + 0.3 * (longer - length))));
          }
          const deletions = deletionVariants(term);
          const typos = st.typo.all(JSON.stringify([term, ...deletions]), JSON.stringify(deletions)) as TermRow[];
          for (const t of typos) {
            if (t.term === term || !withinOneEdit(term, t.term)) continue;
            const other = [...t.term].length;
            reach(t, weight * ((options.fuzzyWeight * other) / (other + 1)));
          }
        }
        out.push(...reached.values());
      }
      return out;
    },
    candidates(expansions, limit, options) {
      const query = candidateQuery(expansions, chunkCount, options);
      if (!query) return [];
      const rows = st.fts.all(query, options.headingBoost, limit) as Array<{ label: number }>;
      return rows.map((r) => r.label);
    },
  };
}

/**
 * The FTS5 query that finds a question's lexical candidates: what a match of each term is worth to BM25 (rarity ×
 * weight) decides, and the most telling terms are read first, as long as their chunk counts fit the postings budget
 * and their number the term budget (a query word's prefix and typo matches can make a hundred terms, and each costs
 * FTS5 a posting-list lookup). Terms in more than half of the chunks are never read. When even the most telling term
 * is too common to read whole, chunks with both of the two most telling terms are still worth having (FTS5 skips
 * through the longer list: 2-4× cheaper than reading one of them, bench corpus at 100,000 chunks).
 */
export function candidateQuery(expansions: readonly Expansion[], chunkCount: number, options: Pick<LexicalOptions, 'candidatePostings' | 'candidateTerms'>): string | undefined {
  const idf = (df: number) => Math.log(1 + (chunkCount - df + 0.5) / (df + 0.5));
  const best = new Map<string, { df: number; worth: number }>();
  for (const e of expansions) {
    if (e.df > chunkCount / 2) continue;
    const worth = e.weight * idf(e.df);
    if ((best.get(e.term)?.worth ?? 0) < worth) best.set(e.term, { df: e.df, worth });
  }
  const byWorth = [...best.entries()].sort((a, b) => b[1].worth - a[1].worth || a[1].df - b[1].df).map(([term, { df }]) => ({ term, df }));
  const read: string[] = [];
  let postings = 0;
  for (const { term, df } of byWorth) {
    if (read.length === options.candidateTerms) break;
    if (postings + df > options.candidatePostings) continue;
    read.push(term);
    postings += df;
  }
  if (read.length > 0) return read.map(ftsPhrase).join(' OR ');
  if (byWorth.length === 0) return undefined;
  return byWorth.slice(0, 2).map(({ term }) => ftsPhrase(term)).join(' AND ');
}

/** What BM25 needs to know of the whole index. */
export interface CorpusStats {
  chunks: number;
  averageHeadingLength: number;
  averageBodyLength: number;
}

/**
 * BM25+ of a chunk for the query's expansions, per field (heading path, text) with the heading boosted, times the
 * number of distinct query terms matched: the scoring MiniSearch does, which the evaluation set was calibrated with.
 * The terms' rarities are worked out once per query; scoring a chunk is then one lookup per expansion.
 */
export function bm25Scorer(
  expansions: readonly Expansion[],
  corpus: CorpusStats,
  options: LexicalOptions,
): (chunk: { termCounts: ReadonlyMap<number, TermCount>; headingLength: number; bodyLength: number }) => { score: number; matched: number } {
  const { k1, b, d, headingBoost } = options;
  const idf = (df: number) => Math.log(1 + (corpus.chunks - df + 0.5) / (df + 0.5));
  const sources = [...new Set(expansions.map((e) => e.source))];
  const terms = expansions.map((e) => ({ ...e, idfBody: idf(e.dfBody), idfHeading: idf(e.dfHeading), sourceIndex: sources.indexOf(e.source) }));
  const seen = new Uint8Array(sources.length);
  const field = (tf: number, idfOfField: number, length: number, average: number) => idfOfField * (d + (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / average)));
  return (chunk) => {
    seen.fill(0);
    let matched = 0;
    let score = 0;
    for (const e of terms) {
      const c = chunk.termCounts.get(e.termId);
      if (!c) continue;
      let s = 0;
      if (c.body > 0) s += field(c.body, e.idfBody, chunk.bodyLength, corpus.averageBodyLength);
      if (c.heading > 0) s += headingBoost * field(c.heading, e.idfHeading, chunk.headingLength, corpus.averageHeadingLength);
      if (s === 0) continue;
      score += e.weight * s;
      if (seen[e.sourceIndex] === 0) {
        seen[e.sourceIndex] = 1;
        matched++;
      }
    }
    return { score: score * matched, matched };
  };
}

/** True when two words differ by at most one insertion, deletion, substitution or swap of neighbouring letters. */
export function withinOneEdit(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (i === x.length && i === y.length) return true;
  const rest = (p: number, q: number) => x.slice(p).join('') === y.slice(q).join('');
  if (x.length === y.length) return rest(i + 1, i + 1) || (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(i + 2, i + 2));
  return x.length > y.length ? rest(i + 1, i) : rest(i, i + 1);
}
