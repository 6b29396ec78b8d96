import type { AnswerEngine } from '../../src/answer/engine.ts';
import { turnOf } from '../../src/answer/followUp.ts';
import type { Answer, Turn } from '../../src/answer/types.ts';
import { hits, type AnswerSpan, type EvalSplit } from './evalSet.ts';

/** Why an answerable question was not answered right first (the first passage holds no answer span). */
export type MissCause = 'retrieval' | 'ranking' | 'window' | 'highlight' | 'abstention' | 'follow-up';

export interface Miss {
  id: string;
  cause: MissCause;
  question: string;
  detail: string;
}

export interface Report {
  questions: number;
  hit_at_1: number;
  hit_at_3: number;
  mrr: number;
  highlight_accuracy: number;
  answerable_abstained: number;
  offtopic: number;
  abstention_precision: number;
  abstention_recall: number;
  near_miss_recall: number;
  unrelated_recall: number;
  followup_turns: number;
  /** Follow-up turns whose first passage holds an answer span. */
  followup_accuracy: number;
  followup_at_3: number;
  /** Passages on the first page of an answered answerable question (the eval asks for up to 5). */
  passages_per_answer: number;
  latency_ms: { p50: number; p95: number };
  misses_by_cause: Record<MissCause, number>;
  /** hit@1 per kind of question: by answer type (`asks`) and by wording (`style`). */
  by_asks: Record<string, { n: number; hit_at_1: number }>;
  by_style: Record<string, { n: number; hit_at_1: number }>;
  misses: Miss[];
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10;
}

function rankOf(answer: Answer, answers: readonly AnswerSpan[]): number {
  const i = answer.passages.findIndex((p) => hits(p.text, answers));
  return i < 0 ? Infinity : i + 1;
}

function highlighted(answer: Answer, answers: readonly AnswerSpan[]): boolean {
  const first = answer.passages[0];
  return Boolean(first && (first.highlights.some((h) => hits(h, answers)) || hits(first.highlights.join(' '), answers)));
}

/** A span "is in" a chunk when the chunk holds it, or holds a long enough piece of either end (a span across two chunks). */
function chunkHolds(chunkText: string, answers: readonly AnswerSpan[]): boolean {
  return answers.some(({ text }) => chunkText.includes(text) || (text.length > 60 && (chunkText.includes(text.slice(0, 40)) || chunkText.includes(text.slice(-40)))));
}

/** The cause of a miss, from the answer and its trace of ranked chunks. */
function causeOf(answer: Answer, answers: readonly AnswerSpan[]): MissCause | undefined {
  const first = answer.passages[0];
  if (answer.abstained) return 'abstention';
  if (first && hits(first.text, answers)) return highlighted(answer, answers) ? undefined : 'highlight';
  const ranked = answer.trace?.ranked ?? [];
  const firstChunks = new Set(first?.chunkIds ?? []);
  if (ranked.some((r) => firstChunks.has(r.chunkId) && chunkHolds(r.text, answers))) return 'window';
  return ranked.some((r) => chunkHolds(r.text, answers)) ? 'ranking' : 'retrieval';
}

const where = (answer: Answer) => answer.passages.map((p) => p.citation).join(' | ') || `(abstained; closest: ${answer.suggestions.join(' | ')})`;

/** Answers every question of a split with the engine and scores it by the README's rules. */
export async function evaluateSplit(engine: AnswerEngine, split: EvalSplit): Promise<Report> {
  const latencies: number[] = [];
  const misses: Miss[] = [];
  const causes: Record<MissCause, number> = { retrieval: 0, ranking: 0, window: 0, highlight: 0, abstention: 0, 'follow-up': 0 };
  const byAsks: Record<string, { n: number; hits: number }> = {};
  const byStyle: Record<string, { n: number; hits: number }> = {};
  let hit1 = 0, hit3 = 0, rr = 0, hl = 0, abstainedAnswerable = 0, passagesShown = 0;

  for (const q of split.questions) {
    const answer = await engine.answer(q.question, { maxPassages: 5, trace: true });
    latencies.push(answer.timings.totalMs);
    const rank = rankOf(answer, q.answers);
    if (rank === 1) hit1++;
    if (rank <= 3) hit3++;
    if (rank <= 5) rr += 1 / rank;
    if (highlighted(answer, q.answers)) hl++;
    if (answer.abstained) abstainedAnswerable++;
    else passagesShown += answer.passages.length;
    for (const [table, key] of [[byAsks, q.asks], [byStyle, q.style]] as const) {
      const row = (table[key] ??= { n: 0, hits: 0 });
      row.n++;
      if (rank === 1) row.hits++;
    }
    const cause = causeOf(answer, q.answers);
    if (cause) {
      causes[cause]++;
      const detail = cause === 'highlight' ? `highlighted ${JSON.stringify(answer.passages[0]?.highlights)}` : `rank ${rank} → ${where(answer)}`;
      misses.push({ id: q.id, cause, question: q.question, detail: `[${q.answers[0]!.section}; ${q.style}/${q.asks}] ${detail}` });
    }
  }

  let offAbstained = 0;
  const offByKind = { 'near-miss': { n: 0, abstained: 0 }, unrelated: { n: 0, abstained: 0 } };
  for (const q of split.offtopic) {
    const answer = await engine.answer(q.question);
    latencies.push(answer.timings.totalMs);
    offByKind[q.kind].n++;
    if (answer.abstained) {
      offAbstained++;
      offByKind[q.kind].abstained++;
    } else {
      misses.push({ id: q.id, cause: 'abstention', question: q.question, detail: `answered ${q.kind} → ${answer.passages[0]?.citation} (${answer.passages[0]?.score})` });
    }
  }

  let followTurns = 0, followFirst = 0, followAt3 = 0;
  for (const c of split.conversations) {
    const history: Turn[] = [];
    for (const [i, turn] of c.turns.entries()) {
      const answer = await engine.answer(turn.question, { history });
      const remembered = turnOf(answer);
      if (remembered) history.push(remembered);
      if (i === 0) continue;
      followTurns++;
      const rank = rankOf(answer, turn.answers);
      if (rank === 1) followFirst++;
      if (rank <= 3) followAt3++;
      if (rank !== 1) {
        causes['follow-up']++;
        misses.push({ id: `${c.id}#${i}`, cause: 'follow-up', question: turn.question, detail: `rank ${rank}, searched "${answer.searchedFor}" → ${where(answer)}` });
      }
    }
  }

  const n = split.questions.length || 1;
  const totalAbstained = abstainedAnswerable + offAbstained;
  const share = (row: { n: number; hits: number }) => ({ n: row.n, hit_at_1: r3(row.hits / row.n) });
  const recall = (k: { n: number; abstained: number }) => r3(k.n === 0 ? 1 : k.abstained / k.n);
  return {
    questions: split.questions.length,
    hit_at_1: r3(hit1 / n),
    hit_at_3: r3(hit3 / n),
    mrr: r3(rr / n),
    highlight_accuracy: r3(hl / n),
    answerable_abstained: r3(abstainedAnswerable / n),
    offtopic: split.offtopic.length,
    abstention_precision: r3(totalAbstained === 0 ? 1 : offAbstained / totalAbstained),
    abstention_recall: r3(split.offtopic.length === 0 ? 1 : offAbstained / split.offtopic.length),
    near_miss_recall: recall(offByKind['near-miss']),
    unrelated_recall: recall(offByKind.unrelated),
    followup_turns: followTurns,
    followup_accuracy: r3(followTurns === 0 ? 1 : followFirst / followTurns),
    passages_per_answer: r3(passagesShown / Math.max(1, split.questions.length - abstainedAnswerable)),
    followup_at_3: r3(followTurns === 0 ? 1 : followAt3 / followTurns),
    latency_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    misses_by_cause: causes,
    by_asks: Object.fromEntries(Object.entries(byAsks).sort().map(([k, v]) => [k, share(v)])),
    by_style: Object.fromEntries(Object.entries(byStyle).sort().map(([k, v]) => [k, share(v)])),
    misses,
  };
}
