import type { ButtonInteraction, ChatInputCommandInteraction, Interaction, MessageContextMenuCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { ask } from '../functions/ask.ts';
import { askAboutMessage } from '../functions/askAboutMessage.ts';
import { lookup, lookupAutocomplete, showSectionPage } from '../functions/lookup.ts';
import { morePassages } from '../functions/morePassages.ts';
import { reindex } from '../functions/reindex.ts';
import { sections, showTocPage } from '../functions/sections.ts';
import { vote } from '../functions/vote.ts';
import type { CommandName, MessageCommandName } from '../interactions/index.ts';
import { decodeCustomId } from '../state/customIds.ts';
import { APOLOGY, tellPrivately } from '../util/respond.ts';

type CommandHandler = (ctx: BotContext, interaction: ChatInputCommandInteraction) => Promise<void>;

const commandHandlers: Record<CommandName, CommandHandler> = { ask, lookup, sections, reindex };

type MessageCommandHandler = (ctx: BotContext, interaction: MessageContextMenuCommandInteraction) => Promise<void>;

const messageCommandHandlers: Record<MessageCommandName, MessageCommandHandler> = { 'Ask about this message': askAboutMessage };

const UNKNOWN_COMMAND = 'I do not know that command any more; it will disappear after the next `npm run deploy-commands`.';

async function handleButton(ctx: BotContext, interaction: ButtonInteraction): Promise<void> {
  const action = decodeCustomId(interaction.customId);
  switch (action?.kind) {
    case 'more':
      return morePassages(ctx, interaction, action.answerKey);
    case 'vote':
      return vote(ctx, interaction, action.answerKey, action.vote);
    case 'section-page':
      return showSectionPage(ctx, interaction, action.sectionKey, action.page);
    case 'toc-page':
      return showTocPage(ctx, interaction, action.page);
    case undefined:
      return tellPrivately(interaction, 'This button is no longer supported — please ask again.');
  }
}

async function dispatch(ctx: BotContext, interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand()) {
    const handler = commandHandlers[interaction.commandName as CommandName] as CommandHandler | undefined;
    if (handler) await handler(ctx, interaction);
    else await tellPrivately(interaction, UNKNOWN_COMMAND);
  } else if (interaction.isMessageContextMenuCommand()) {
    const handler = messageCommandHandlers[interaction.commandName as MessageCommandName] as MessageCommandHandler | undefined;
    if (handler) await handler(ctx, interaction);
    else await tellPrivately(interaction, UNKNOWN_COMMAND);
  } else if (interaction.isAutocomplete()) {
    if (interaction.commandName === 'lookup') await lookupAutocomplete(ctx, interaction);
    else await interaction.respond([]);
  } else if (interaction.isButton()) {
    await handleButton(ctx, interaction);
  }
}

/** Slash commands, message commands, autocomplete and buttons; a failure is logged and answered with a private apology. */
export function createInteractionHandler(ctx: BotContext): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    try {
      await dispatch(ctx, interaction);
    } catch (error) {
      ctx.logger.error({ err: error, interactionId: interaction.id, type: interaction.type }, 'failed to handle an interaction');
      if (interaction.isRepliable()) await tellPrivately(interaction, APOLOGY).catch(() => undefined);
    }
  };
}
