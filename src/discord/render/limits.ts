/** Discord's message limits (https://discord.com/developers/docs/resources/message#create-message). */
export const LIMITS = {
  content: 2000,
  embedDescription: 4096,
  embedTitle: 256,
  embedFieldValue: 1024,
  embedTotal: 6000,
  threadName: 100,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
  customId: 100,
} as const;
