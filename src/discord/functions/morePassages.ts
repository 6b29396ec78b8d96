import type { ButtonInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { rateLimitNotice, takeQuestion } from '../fairUse/questionAllowance.ts';
import { answerButtons } from '../render/components.ts';
import { followUp, tellPrivately, updateButtons } from '../util/respond.ts';
import { answerMessage, computeAnswer, recordAnswered } from './answerQuestion.ts';

export const EXPIRED = 'This button has expired — please ask the question again.';

/**
 * "More passages": the next passages for the same question, as a new message; the old button goes away. One page per
 * button: a second press of the same button (a double click, two users at once) is acknowledged and does nothing.
 */
export async function morePassages(ctx: BotContext, interaction: ButtonInteraction, answerKey: string): Promise<void> {
  const stored = await ctx.store.answers.get(answerKey);
  if (!stored) {
    await tellPrivately(interaction, EXPIRED);
    return;
  }
  const limit = await takeQuestion(ctx, interaction.user.id);
  if (!limit.allowed) {
    await tellPrivately(interaction, rateLimitNotice(limit.retryAfterMs));
    return;
  }
  if (!(await ctx.store.answers.claimMore(answerKey))) {
    await interaction.deferUpdate();
    return;
  }
  // Acknowledge at once by dropping "More passages" from the pressed message (votes stay).
  await updateButtons(interaction, answerButtons(answerKey, false));
  const computed = await computeAnswer(ctx, {
    question: stored.question,
    userHash: ctx.hashUser(interaction.user.id),
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    source: 'more-passages',
    history: stored.history,
    skip: stored.skip + stored.shown,
  });
  if (computed.rendered.shown === 0) {
    await followUp(interaction, { content: 'That was everything the article has on this question.' }, { ephemeral: true });
    return;
  }
  const sent = await followUp(interaction, await answerMessage(ctx, computed, stored.conversationId));
  // Extra passages are not a new turn; linking the message keeps replies to it in the conversation.
  if (stored.conversationId) await ctx.store.conversations.linkMessage(sent.id, stored.conversationId);
  await recordAnswered(ctx, computed, {});
}
