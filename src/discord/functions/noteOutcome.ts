import { botMetrics } from '../../service/metrics.ts';
import type { StoredAnswer } from '../../state/types.ts';
import type { BotContext } from '../context.ts';
import type { ComputedAnswer } from './answerQuestion.ts';

/**
 * What an answered question tells the operator: the metrics, and, for an abstention, an unanswered-question record
 * (question, closest sections, salted user hash) for `npm run feedback`. Unusable input (empty, too long) is not a
 * gap in the corpus and is not recorded.
 */
export async function noteAnswered(ctx: BotContext, computed: ComputedAnswer): Promise<void> {
  const { input, answer } = computed;
  botMetrics.questions.inc({ source: input.source });
  botMetrics.answerSeconds.observe((Date.now() - computed.startedAt) / 1000);
  if (!answer.abstained || answer.notice) return;
  botMetrics.abstentions.inc();
  await ctx.store.unanswered.record({
    time: new Date().toISOString(),
    question: input.question,
    reason: 'abstained',
    sections: answer.suggestions,
    userHash: input.userHash,
  });
}

/** A 👎 marks the question as not answered well, with the sections the answer quoted (counted once per user and answer: gapsInForce). */
export async function noteDownVote(ctx: BotContext, stored: StoredAnswer, answerKey: string, userHash: string): Promise<void> {
  await ctx.store.unanswered.record({ time: new Date().toISOString(), question: stored.question, reason: 'down-vote', sections: stored.sections ?? [], userHash, answerKey });
}

/** A question refused by the rate limit. */
export function noteRateLimited(): void {
  botMetrics.rateLimitNotices.inc();
}
