import { MessageFlags, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { rateLimitNotice, takeQuestion } from '../fairUse/questionAllowance.ts';
import { stripMentions } from '../handling/mentions.ts';
import { tellPrivately } from '../util/respond.ts';
import { answerDeferred, interactionQuestion } from './interactionAnswer.ts';

export const NOTHING_TO_ASK = 'That message has no text to ask about.';

/**
 * "Ask about this message" (right-click a message › Apps): the message's text is the question, and the answer is a
 * reply to that message, with the usual buttons. The interaction itself is acknowledged privately, then removed.
 */
export async function askAboutMessage(ctx: BotContext, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const target = interaction.targetMessage;
  const question = stripMentions(target.content);
  if (!question) {
    await tellPrivately(interaction, NOTHING_TO_ASK);
    return;
  }
  const limit = await takeQuestion(ctx, interaction.user.id);
  if (!limit.allowed) {
    await tellPrivately(interaction, rateLimitNotice(limit.retryAfterMs));
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await answerDeferred(ctx, interaction, interactionQuestion(ctx, interaction, question, 'message-command', target), target);
}
