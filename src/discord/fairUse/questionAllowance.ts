import type { RateLimitDecision } from '../../state/types.ts';
import type { BotContext } from '../context.ts';
import { noteRateLimited } from '../functions/noteOutcome.ts';

/** Takes one question from the user's allowance: RATE_LIMIT_COUNT per RATE_LIMIT_WINDOW_SECONDS, kept by user hash. */
export async function takeQuestion(ctx: BotContext, userId: string): Promise<RateLimitDecision> {
  const { rateLimitCount: count, rateLimitWindowMs: windowMs } = ctx.config.fairUse;
  const decision = await ctx.store.rateLimits.take(ctx.hashUser(userId), { count, windowMs });
  if (!decision.allowed) noteRateLimited();
  return decision;
}

/**
 * Whether to show a user that they are being rate-limited: once per window, however many more questions the burst
 * holds (each notice would otherwise be one more message competing with everyone's answers).
 */
export async function firstNoticeInWindow(ctx: BotContext, userId: string): Promise<boolean> {
  const decision = await ctx.store.rateLimits.take(`notice:${ctx.hashUser(userId)}`, { count: 1, windowMs: ctx.config.fairUse.rateLimitWindowMs });
  return decision.allowed;
}

export function rateLimitNotice(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `You're asking faster than I can keep up — please wait ${seconds} s and ask again.`;
}
