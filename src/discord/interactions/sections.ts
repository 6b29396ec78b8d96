import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const sectionsCommand = {
  name: 'sections',
  description: 'Table of contents of the article.',
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
