import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const lookupCommand = {
  name: 'lookup',
  description: 'Show the text of one section of the article.',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'section',
      description: 'Start typing a section title',
      required: true,
      autocomplete: true,
    },
  ],
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
