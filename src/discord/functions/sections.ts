import type { ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { pageButtons } from '../render/components.ts';
import { renderTableOfContents } from '../render/pages.ts';
import { encodeCustomId } from '../state/customIds.ts';
import { replyToInteraction, updateButtonMessage, type ReplyBody } from '../util/respond.ts';

function tocMessage(ctx: BotContext, page: number): ReplyBody {
  const rendered = renderTableOfContents(ctx.engine.sections(), page);
  return {
    content: rendered.content,
    components: pageButtons(rendered.page, rendered.pageCount, (p) => encodeCustomId({ kind: 'toc-page', page: p })),
  };
}

/** /sections — the table of contents. */
export async function sections(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await replyToInteraction(interaction, tocMessage(ctx, 0));
}

export async function showTocPage(ctx: BotContext, interaction: ButtonInteraction, page: number): Promise<void> {
  await updateButtonMessage(interaction, tocMessage(ctx, page));
}
