/**
 * Every weight, threshold and limit that shapes answers, in one place. Each says what it does, its default and
 * where it was calibrated. Answer-time values (`Tuning`) reach the engine through its options, so `npm run eval --
 * --set reader.abstain.weakBm25=4` can sweep them without editing code; build-time values (`BUILD_TUNING`) are
 * recorded in the index manifest, and changing them means rebuilding the index.
 *
 * "Calibrated on dev" means: chosen by `npm run eval` on the evaluation set's dev split (tests/eval/dev), never on
 * its test split.
 */
export interface Tuning {
  retrieval: {
    /** Weights of the fused score: `lexical × BM25/best BM25 + dense × cosine + alignment × word alignment`. */
    fusion: {
      /** BM25, normalised by the best BM25 of the query. Default 0.25, calibrated on dev. */
      lexical: number;
      /** Cosine similarity of question and chunk embeddings. Default 0.25, calibrated on dev. */
      dense: number;
      /** Word alignment (each question word's closest word in the chunk, rarity-weighted). Default 0.5, calibrated on dev. */
      alignment: number;
      /** Multiplier for reference lists when the question does not ask for sources. Default 0.35, calibrated on dev. */
      referencePenalty: number;
      /** Bonus for a chunk holding the kind of answer asked for (a year for "when"). Default 0.05, calibrated on dev. */
      answerType: number;
      /** Weight of words carried over from earlier turns, relative to the question's own. Default 0.5, calibrated on dev. */
      contextWeight: number;
      /**
       * Weight of a question word the corpus does not have, relative to its rarity (the highest there is): such a word
       * ("nutshell", "officially", "impartial") can only be met by similar words, weaker evidence than a word itself.
       * Default 0.75, calibrated on dev (swept 0.6–1: hit@1 0.759 → 0.777, highlight 0.670 → 0.692, answerable
       * abstained 0.022 → 0.013, follow-ups 0.754 → 0.721; the same from 0.65 to 0.8).
       */
      unknownWord: number;
    };
    /** Candidates taken from each of BM25 and HNSW on large corpora (the union is scored). Default 50. */
    candidates: number;
    /**
     * Corpora with fewer chunks than this are scored whole instead of through candidates. Default 500: at 1,000 chunks
     * scoring whole made answers 3× slower than at 10,000 (bench), and the seed (55) is scored whole either way.
     */
    scoreAllBelow: number;
    /** How many of the best candidates the answer-type bonus may reorder. Default 10, calibrated on dev. */
    answerTypeDepth: number;
    /** BM25 options. */
    lexical: {
      /** Weight of a section heading's words next to the chunk text's. Default 2, calibrated on dev. */
      headingBoost: number;
      /** BM25 term-frequency saturation. Default 1.2 (MiniSearch's; 0.8–1.8 made no difference on dev). */
      k1: number;
      /** BM25 length normalisation. Default 0.7 (MiniSearch's; 0.4–0.9 made no difference on dev). */
      b: number;
      /** BM25+ floor: what a field that has the term at all is worth, times its rarity. Default 0.5 (MiniSearch's). */
      d: number;
      /**
       * Weight of a typo match (one edit, for words of BUILD_TUNING.typoMinLength letters or more: "tukachevsky",
       * "yezov") relative to an exact one. Default 0.5, calibrated on dev.
       */
      fuzzyWeight: number;
      /** Weight of a prefix match (a word that long begins a longer one) relative to an exact one. Default 0.6, calibrated on dev. */
      prefixWeight: number;
      /**
       * The FTS5 candidate search reads the query's most telling terms (rarity × weight), one after another, while
       * their chunk counts add up to at most this many postings (see lexicalSearch.ts candidateQuery). A common term adds
       * little to which chunks are candidates and most of the time: at 100,000 chunks it was 62% of answering (p95
       * 169 ms; 20,000 postings: 91 ms; 5,000: 57 ms; 2,000: 54 ms, bench corpus, before candidateTerms). Default
       * 5,000; the seed reads everything.
       */
      candidatePostings: number;
      /**
       * Most terms the FTS5 candidate search reads: a query word's prefix and typo matches made 47 terms on average
       * and up to 112, and each costs a posting-list lookup (12 ms a query at 100,000 chunks). Default 8: answers at
       * 100,000 chunks p50/p95 39/65 → 19/32 ms, and the seed article's answers among them as often first (dev hit@1
       * 0.125–0.134 with 4, 6, 8, 12, 32 or all terms; bench corpus with the seed article added). The seed reads
       * everything.
       */
      candidateTerms: number;
    };
    /** Spelling variants in word alignment. */
    spelling: {
      /** Similarity of a spelling variant (same stem, or one typo) to the word itself. Default 0.9, calibrated on dev. */
      match: number;
      /** Both words at least this long may differ by one typo. Default 5 ("tall" is not "toll"), calibrated on dev. */
      minTypoLength: number;
    };
  };
  reader: {
    /** When the best candidate is too weak to quote, the answer abstains. Calibrated on dev (answerable and off-topic). */
    abstain: {
      /** Below this raw BM25 the question shares no rare word with the chunk. Default 5. */
      weakBm25: number;
      /** …and below this word alignment it has no close synonyms in it either: abstain. Default 0.7. */
      weakAlignment: number;
      /** Below this word alignment there is nothing close at all: abstain. Default 0.38. */
      minAlignment: number;
      /**
       * A question that names things the article has must have a sentence near those names that matches its most
       * telling other words at least this well (word similarity; 1 is the word itself). Calibrated on dev.
       */
      focus: number;
      /** The same, for a question that names nothing. Calibrated on dev. */
      focusAlone: number;
      /**
       * Abstain when at least this share of the names a question asks about are words the corpus does not have (a typo
       * allowed): "the Battle of Stalingrad" in an article that never mentions Stalingrad. 0 turns it off. Default 1
       * (all of them): a share below that lost answerable questions on dev ("Norway" for the article's "Oslo").
       */
      absentNames: number;
    };
    /** Passages scoring below this share of the best one are not shown. Default 0.5, calibrated on dev. */
    minRelativeScore: number;
    /**
     * The first page of an answer: a further passage is shown when it scores at least `close` × the first one, or
     * `otherSection` × and comes from another section; "More passages" pages through the rest. Calibrated on dev.
     */
    passages: { close: number; otherSection: number };
    /** Closest sections listed when abstaining. Default 3. */
    suggestions: number;
    /** Choosing the highlighted sentence of a passage. */
    highlight: {
      /** Weight of a sentence's embedding similarity next to its word alignment. Default 0.5, calibrated on dev. */
      denseWeight: number;
      /** Bonus for a sentence holding the kind of answer asked for. Default 0.1, calibrated on dev. */
      answerTypeBonus: number;
      /** The runner-up sentence is highlighted too when it scores at least this share of the best. Default 0.9, calibrated on dev. */
      secondRatio: number;
      /** Weight of the reader's answer score of a sentence (answer/reader.ts). Default 2 (1 and 4 were worse on dev). */
      readerWeight: number;
      /**
       * For a yes/no question, the better neighbour of the best sentence is highlighted too when it scores at least
       * this share of the best: the claim and the article's verdict on it sit side by side. Default 0.7 (0.6-0.8
       * alike on dev; 0.5 highlighted more for one more hit, 0.9 as off).
       */
      yesNoNeighbour: number;
    };
    /** Longest passage quoted, in characters (a short Discord message holds three). Default 800. */
    maxPassageChars: number;
    /** Most topic words a follow-up carries over from earlier turns. Default 12, calibrated on dev. */
    maxContextTerms: number;
    /** Reading the best chunks sentence by sentence for the one that answers (answer/reader.ts). */
    answer: {
      /** How many of the best-ranked chunks are read. */
      depth: number;
      /**
       * Weight of the best sentence's answer score next to the chunk's retrieval score. Default 1.2 with `type` 0.4
       * (swept on dev: 0.3–2 and 0.2–0.6; hit@1 0.732 at 0.3/0.2, 0.759 here, flat beyond).
       */
      weight: number;
      /** Of the answer score: word alignment of the sentence with the question. */
      alignment: number;
      /** …the rarity-weighted share of the question's words it has as such. */
      exact: number;
      /** …holding an answer of the kind asked for (a year for "when", a new name for "who"). */
      type: number;
      /** …having the names the question names. */
      entity: number;
      /**
       * How much the sentence just before counts for the question's words a sentence lacks ("…trial in January 1937 …
       * Thirteen defendants were shot" answers "how many January 1937 defendants were shot").
       */
      context: number;
    };
  };
}

export const DEFAULT_TUNING: Tuning = {
  retrieval: {
    fusion: { lexical: 0.25, dense: 0.25, alignment: 0.5, referencePenalty: 0.35, answerType: 0.05, contextWeight: 0.5, unknownWord: 0.75 },
    candidates: 50,
    scoreAllBelow: 500,
    answerTypeDepth: 10,
    lexical: { headingBoost: 2, k1: 1.2, b: 0.7, d: 0.5, fuzzyWeight: 0.5, prefixWeight: 0.6, candidatePostings: 5_000, candidateTerms: 8 },
    spelling: { match: 0.9, minTypoLength: 5 },
  },
  reader: {
    abstain: { weakBm25: 5, weakAlignment: 0.7, minAlignment: 0.38, focus: 0, focusAlone: 0, absentNames: 1 },
    minRelativeScore: 0.5,
    passages: { close: 0.9, otherSection: 0.5 },
    suggestions: 3,
    highlight: { denseWeight: 0.5, answerTypeBonus: 0.1, secondRatio: 0.9, readerWeight: 2, yesNoNeighbour: 0.7 },
    maxPassageChars: 800,
    maxContextTerms: 12,
    answer: { depth: 10, weight: 1.2, alignment: 0.5, exact: 0.3, type: 0.4, entity: 0.1, context: 0.5 },
  },
};

/** Build-time values; they are part of the index manifest's fingerprint. */
export const BUILD_TUNING = {
  /** Longest chunk, in characters (a longer sentence still makes one chunk). 700 beat 200–500 on dev. */
  chunkMaxChars: 700,
  /**
   * HNSW graph: M links per node, efConstruction at build, efSearch at query time. Measured by `npm run bench` at
   * 100,000 chunks of the bench corpus with a growing vocabulary: recall@10 against exact search 0.896 at ef 100,
   * 0.950 at 200, 0.982 at 400 (query p95 1.2 ms), hence 800; efConstruction 100 instead of 200 halves graph building.
   */
  hnsw: { m: 16, efConstruction: 100, efSearch: 800, randomSeed: 100 },
  /**
   * An incremental build updates the graph in place (new points take the places of deleted ones); when points marked
   * deleted pass this share of the chunks, the graph is built afresh. Default 0.2 (see the bench's churn figures).
   */
  hnswRebuildShare: 0.2,
  /** Lexical terms at least this long get typo variants in the index, so a question word with one typo finds them. Default 5. */
  typoMinLength: 5,
} as const;

/** Timings of the Discord bot's life cycle: not about answers, so not in `Tuning`. */
export const BOT_TIMING = {
  /** How long start-up waits for Discord's READY (also while the login itself still retries). 30 s. */
  readyTimeoutMs: 30_000,
  /** How long a shutdown waits for answers in flight; what is left is answered after the restart. 10 s. */
  shutdownGraceMs: 10_000,
  /** A question the process died on is answered after the restart up to this age (an interaction token's life). 15 min. */
  answerPendingWithinMs: 15 * 60_000,
  /** Older than that but up to this age: an apology instead (a message only; an interaction's token has expired). 24 h. */
  apologiseWithinMs: 24 * 60 * 60_000,
} as const;

/** Limits of the bot's state store and its processes: timeouts, retries, how often retention is enforced. */
export const STATE_TUNING = {
  /** SQLite waits this long for another process's write to finish before failing (shards on one host share the file). */
  sqliteBusyTimeoutMs: 5000,
  /** Retention limits are enforced every this many writes of a kind (and at start); a prune walks the table's index. */
  pruneEveryWrites: 100,
  /** A Redis command not answered within this time fails (then reads fall back and writes wait for the reconnect). */
  redisCommandTimeoutMs: 2000,
  /** Delay before the n-th reconnect to Redis: n × this, at most `redisReconnectMaxMs`. */
  redisReconnectStepMs: 200,
  redisReconnectMaxMs: 2000,
  /** State writes kept in memory while Redis is unreachable; beyond this the oldest are dropped, with an error logged. */
  deferredWritesMax: 10_000,
  /** A rebuild lock is released by itself this long after its holder stops renewing it (a killed process). */
  rebuildLockTtlMs: 30_000,
  /** A process that used an SQLite file is taken to have stopped when it has not said so within this time. */
  sqliteProcessStaleMs: 60_000,
  /** Each process renews its entry in the SQLite file this often. */
  sqliteProcessHeartbeatMs: 20_000,
  /** Questions remembered as accepted but not yet answered; beyond this the oldest are forgotten. */
  pendingMax: 1000,
  /** /healthz waits this long for the state store to answer a ping. */
  healthPingTimeoutMs: 1000,
} as const;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type TuningOverrides = DeepPartial<Tuning>;

/** The defaults with some values replaced (`npm run eval -- --set …`, tests). */
export function withTuning(overrides: TuningOverrides = {}, base: Tuning = DEFAULT_TUNING): Tuning {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) {
      if (value === undefined) continue;
      out[key] = typeof value === 'object' && value !== null ? merge((a[key] ?? {}) as Record<string, unknown>, value as Record<string, unknown>) : value;
    }
    return out;
  };
  return merge(base as unknown as Record<string, unknown>, overrides as Record<string, unknown>) as unknown as Tuning;
}

/**
 * Parses "reader.abstain.weakBm25=4" into overrides. Throws a sentence naming the problem for an unknown path or a
 * value that is not a number.
 */
export function parseTuningSetting(setting: string, base: Tuning = DEFAULT_TUNING): TuningOverrides {
  const match = /^([\w.]+)=(.+)$/.exec(setting.trim());
  if (!match) throw new Error(`"${setting}" is not a tuning setting; write it as path=number, e.g. reader.abstain.weakBm25=4`);
  const path = match[1]!.split('.');
  const value = Number(match[2]);
  let node: unknown = base;
  for (const key of path) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  if (typeof node !== 'number') throw new Error(`"${match[1]}" is not a numeric tuning value (see src/config/tuning.ts)`);
  if (!Number.isFinite(value)) throw new Error(`"${match[2]}" is not a number (in ${setting})`);
  const overrides: Record<string, unknown> = {};
  let cursor = overrides;
  path.forEach((key, i) => {
    if (i === path.length - 1) cursor[key] = value;
    else cursor = (cursor[key] = {}) as Record<string, unknown>;
  });
  return overrides as TuningOverrides;
}
