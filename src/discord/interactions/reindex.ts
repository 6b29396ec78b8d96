import { InteractionContextType, PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const reindexCommand = {
  name: 'reindex',
  description: 'Rebuild the search index from the corpus (server managers only).',
  // Hidden from members without Manage Server by default; checked again when it runs.
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [InteractionContextType.Guild],
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
