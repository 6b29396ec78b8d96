import type { ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { rateLimitNotice, takeQuestion } from '../fairUse/questionAllowance.ts';
import { editInteractionReply, tellPrivately } from '../util/respond.ts';
import { answerMessage, computeAnswer, recordAnswered } from './answerQuestion.ts';

/** /ask question: — deferred at once (Discord wants an answer within 3 s), then edited with the quotes. */
export async function ask(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const question = interaction.options.getString('question', true);
  const limit = await takeQuestion(ctx, interaction.user.id);
  if (!limit.allowed) {
    await tellPrivately(interaction, rateLimitNotice(limit.retryAfterMs));
    return;
  }
  await interaction.deferReply();
  const computed = await computeAnswer(ctx, {
    question,
    userId: interaction.user.id,
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    source: 'slash',
    history: [],
  });
  // The conversation is named after the interaction; replies to the answer continue it.
  const conversationId = `ask-${interaction.id}`;
  const sent = await editInteractionReply(interaction, await answerMessage(ctx, computed, conversationId));
  await recordAnswered(ctx, computed, { conversationId, messageId: sent.id });
}
