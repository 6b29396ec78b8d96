import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { MAX_QUESTION_CHARS } from '../../answer/normalizeQuestion.ts';

export const askCommand = {
  name: 'ask',
  description: 'Ask a question; the answer quotes the article word for word.',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'question',
      description: 'Your question about the articles, in your own words',
      required: true,
      // Discord enforces the engine's own limit as the user types.
      max_length: MAX_QUESTION_CHARS,
    },
  ],
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
