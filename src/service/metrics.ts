import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served by the health server at /metrics. One registry per
 * process; with shards, each process labels its metrics with its shard id (`setShardLabel`).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const botMetrics = {
  questions: new Counter({ name: 'quotebot_questions_total', help: 'Questions answered (including abstentions), by where they came from.', labelNames: ['source'], registers: [registry] }),
  abstentions: new Counter({ name: 'quotebot_abstentions_total', help: 'Questions the article did not seem to answer.', registers: [registry] }),
  answerSeconds: new Histogram({
    name: 'quotebot_answer_seconds',
    help: 'Time from receiving a question to having its answer ready to send.',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  rateLimitNotices: new Counter({ name: 'quotebot_rate_limit_notices_total', help: 'Questions refused because the user asked too fast.', registers: [registry] }),
  reindexes: new Counter({
    name: 'quotebot_reindexes_total',
    help: 'Index rebuilds started here: built, failed, or left to another process that held the lock.',
    labelNames: ['result'],
    registers: [registry],
  }),
};

export const stateMetrics = {
  fallbacks: new Counter({
    name: 'quotebot_state_fallbacks_total',
    help: 'State store calls that failed (store unreachable): reads answered with a fallback, writes kept for later.',
    labelNames: ['kind'],
    registers: [registry],
  }),
  pendingWrites: new Gauge({ name: 'quotebot_state_pending_writes', help: 'State writes kept in memory until the store is reachable again.', registers: [registry] }),
};

export function setShardLabel(shard: number | string): void {
  registry.setDefaultLabels({ shard: String(shard) });
}
