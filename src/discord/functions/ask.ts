import type { ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { rateLimitNotice, takeQuestion } from '../fairUse/questionAllowance.ts';
import { stripMentions } from '../handling/mentions.ts';
import { tellPrivately } from '../util/respond.ts';
import { answerDeferred, interactionQuestion } from './interactionAnswer.ts';

/** /ask question: — deferred at once (Discord wants an answer within 3 s), then edited with the quotes. */
export async function ask(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const question = stripMentions(interaction.options.getString('question', true));
  const limit = await takeQuestion(ctx, interaction.user.id);
  if (!limit.allowed) {
    await tellPrivately(interaction, rateLimitNotice(limit.retryAfterMs));
    return;
  }
  await interaction.deferReply();
  await answerDeferred(ctx, interaction, interactionQuestion(ctx, interaction, question, 'slash'));
}
