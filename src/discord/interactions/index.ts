import { askCommand } from './ask.ts';
import { lookupCommand } from './lookup.ts';
import { reindexCommand } from './reindex.ts';
import { sectionsCommand } from './sections.ts';

/** Every slash command, as registered by `npm run deploy-commands`. */
export const commands = [askCommand, lookupCommand, sectionsCommand, reindexCommand];

export type CommandName = (typeof commands)[number]['name'];
