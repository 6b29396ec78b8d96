/** The bot's reactions, each a short answer that costs no message (see react() in util/respond.ts). */
export const REACTIONS = {
  /** "thanks!", "thank you so much" */
  thanks: '👍',
  /** "hello", "good morning all" — to the bot (mention, DM, its thread), not to a whole ask channel. */
  greeting: '👋',
  /** The question waits behind others; removed once it is answered. */
  queued: '⏳',
  /** Too many questions in the window: once per user per window, instead of a reply to each. */
  rateLimited: '✋',
} as const;
