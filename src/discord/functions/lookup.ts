import { escapeMarkdown, type AutocompleteInteraction, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { pageButtons } from '../render/components.ts';
import { renderSectionPage } from '../render/pages.ts';
import { encodeCustomId } from '../state/customIds.ts';
import { replyToInteraction, tellPrivately, updateButtonMessage, type ReplyBody } from '../util/respond.ts';
import { closestSections, findSection, findSectionByKey, sectionChoices, sectionKey } from './sectionMatch.ts';
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

/** "No section matches …", with the closest headings when some look alike. */
export function noSectionNotice(typed: string, closest: readonly SectionInfo[]): string {
  const shown = `"${escapeMarkdown(typed.slice(0, 100))}"`;
  if (closest.length === 0) return `No section matches ${shown}. Try \`/sections\` to see them all.`;
  const names = closest.map((s) => `**${escapeMarkdown(s.sectionPath.at(-1) ?? s.articleTitle)}**`);
  const options = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  return `No section matches ${shown}. Did you mean ${options}? \`/sections\` lists them all.`;
}

/**
 * /lookup section: — the section's verbatim text, paged with buttons when long. Text typed without picking a
 * suggestion finds the best-matching section (typos forgiven); a miss suggests the closest headings.
 */
export async function lookup(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const value = interaction.options.getString('section', true);
  const sections = ctx.engine.sections();
  const section = findSection(sections, value);
  if (!section) {
    await tellPrivately(interaction, noSectionNotice(value, closestSections(sections, value)));
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
