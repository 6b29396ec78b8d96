/** What a build did; printed as one line, or as JSON with --json. */
export interface BuildSummary {
  articles: number;
  sections: number;
  chunks: number;
  /** Chunks whose vectors were computed in this build. */
  embedded: number;
  /** Chunks whose stored vectors were reused. */
  reused: number;
  /** Chunks of the previous index that no longer exist. */
  removed: number;
  /** Articles parsed and chunked in this build (the others were unchanged). */
  parsed: number;
  ms: number;
  /** False when nothing changed and the index was left as it was. */
  changed: boolean;
  /**
   * The HNSW graph's worker (when the index changed): how long it was busy inserting and writing, and how long the
   * build waited for it at the end (the rest overlapped with parsing and writing the database).
   */
  graph?: { busyMs: number; waitMs: number };
}
