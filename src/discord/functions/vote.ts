import type { ButtonInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { tellPrivately } from '../util/respond.ts';
import { EXPIRED } from './morePassages.ts';
import { noteDownVote } from './noteOutcome.ts';

/**
 * "Helpful" / "Not helpful" under an answer: one vote per user and answer (pressing again, or the other button,
 * replaces it), kept in the state store with the user as a salted hash, and acknowledged privately.
 */
export async function vote(ctx: BotContext, interaction: ButtonInteraction, answerKey: string, value: 'up' | 'down'): Promise<void> {
  const stored = await ctx.store.answers.get(answerKey);
  if (!stored) {
    await tellPrivately(interaction, EXPIRED);
    return;
  }
  const userHash = ctx.hashUser(interaction.user.id);
  await ctx.store.feedback.record({ time: new Date().toISOString(), answerKey, question: stored.question, chunkIds: stored.chunkIds, vote: value, userHash });
  if (value === 'down') await noteDownVote(ctx, stored, answerKey, userHash);
  ctx.logger.info({ event: 'feedback', vote: value, chunkIds: stored.chunkIds }, 'feedback recorded');
  await tellPrivately(interaction, value === 'up' ? 'Thanks — glad that helped! 👍' : "Thanks — noted that this answer wasn't helpful. 👎");
}
