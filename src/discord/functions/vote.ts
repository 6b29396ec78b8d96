import type { ButtonInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { tellPrivately } from '../util/respond.ts';
import { EXPIRED } from './morePassages.ts';
import { noteDownVote } from './noteOutcome.ts';

/** 👍/👎 under an answer: recorded in the state store (user as a salted hash), acknowledged privately. */
export async function vote(ctx: BotContext, interaction: ButtonInteraction, answerKey: string, value: 'up' | 'down'): Promise<void> {
  const stored = await ctx.store.answers.get(answerKey);
  if (!stored) {
    await tellPrivately(interaction, EXPIRED);
    return;
  }
  await ctx.store.feedback.record({
    time: new Date().toISOString(),
    question: stored.question,
    chunkIds: stored.chunkIds,
    vote: value,
    userHash: ctx.hashUser(interaction.user.id),
  });
  if (value === 'down') await noteDownVote(ctx, stored, ctx.hashUser(interaction.user.id));
  ctx.logger.info({ event: 'feedback', vote: value, chunkIds: stored.chunkIds }, 'feedback recorded');
  await tellPrivately(interaction, value === 'up' ? 'Thanks — glad that helped! 👍' : "Thanks — noted that this answer wasn't helpful. 👎");
}
