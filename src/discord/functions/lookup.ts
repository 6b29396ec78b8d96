import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { pageButtons } from '../render/components.ts';
import { renderSectionPage } from '../render/pages.ts';
import { encodeCustomId } from '../state/customIds.ts';
import { replyToInteraction, tellPrivately, updateButtonMessage, type ReplyBody } from '../util/respond.ts';
import { findSection, findSectionByKey, sectionChoices, sectionKey } from './sectionMatch.ts';
import type { SectionInfo } from '../../retrieval/types.ts';

function sectionMessage(ctx: BotContext, section: SectionInfo, page: number): ReplyBody {
  const rendered = renderSectionPage(section, ctx.engine.sectionText(section) ?? { text: '', sentenceEnds: [] }, page);
  const key = sectionKey(section);
  return {
    content: rendered.content,
    components: pageButtons(rendered.page, rendered.pageCount, (p) => encodeCustomId({ kind: 'section-page', sectionKey: key, page: p })),
  };
}

/** Autocomplete for /lookup section: — in memory, so well within Discord's 3 s. */
export async function lookupAutocomplete(ctx: BotContext, interaction: AutocompleteInteraction): Promise<void> {
  await interaction.respond(sectionChoices(ctx.engine.sections(), interaction.options.getFocused()));
}

/** /lookup section: — the section's verbatim text, paged with buttons when long. */
export async function lookup(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const value = interaction.options.getString('section', true);
  const section = findSection(ctx.engine.sections(), value);
  if (!section) {
    await tellPrivately(interaction, `No section matches "${value.slice(0, 100)}". Try \`/sections\` to see them all.`);
    return;
  }
  await replyToInteraction(interaction, sectionMessage(ctx, section, 0));
}

export async function showSectionPage(ctx: BotContext, interaction: ButtonInteraction, key: string, page: number): Promise<void> {
  const section = findSectionByKey(ctx.engine.sections(), key);
  if (!section) {
    await tellPrivately(interaction, 'That section is no longer in the index — use `/lookup` again.');
    return;
  }
  await updateButtonMessage(interaction, sectionMessage(ctx, section, page));
}
