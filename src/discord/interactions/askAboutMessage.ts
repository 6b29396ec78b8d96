import { ApplicationCommandType, type RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord.js';

/** Right-click a message › Apps › "Ask about this message": its text is answered as a question. */
export const askAboutMessageCommand = {
  name: 'Ask about this message',
  type: ApplicationCommandType.Message,
} satisfies RESTPostAPIContextMenuApplicationCommandsJSONBody;
