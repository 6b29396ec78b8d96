import { askCommand } from './ask.ts';
import { askAboutMessageCommand } from './askAboutMessage.ts';
import { lookupCommand } from './lookup.ts';
import { reindexCommand } from './reindex.ts';
import { sectionsCommand } from './sections.ts';

/** The slash commands. */
export const slashCommands = [askCommand, lookupCommand, sectionsCommand, reindexCommand];

/** Message context-menu commands (right-click a message › Apps). */
export const messageCommands = [askAboutMessageCommand];

/** Every command, as registered by `npm run deploy-commands`. */
export const commands = [...slashCommands, ...messageCommands];

export type CommandName = (typeof slashCommands)[number]['name'];
export type MessageCommandName = (typeof messageCommands)[number]['name'];
