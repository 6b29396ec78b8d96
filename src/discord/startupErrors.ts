import { ConfigError } from '../config/config.ts';

/** Thrown by startBot for failures the user fixes outside the code; the message is the sentence to print. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export const TOKEN_REJECTED =
  'Discord rejected DISCORD_TOKEN (401 Unauthorized): copy a fresh token from Developer Portal › your app › Bot › Reset Token into .env.';

export const INTENT_REFUSED =
  'Discord refused the Message Content intent: enable it in Developer Portal › your app › Bot › Privileged Gateway Intents, or set REPLY_MODE=reply and leave ASK_CHANNEL_IDS empty.';

function hasCode(error: unknown): error is { code: unknown; status?: unknown } {
  return typeof error === 'object' && error !== null && 'code' in error;
}

/** One sentence for the console when start-up fails: what is wrong and which setting or command fixes it. */
export function explainStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StartupError) return error.message;
  if (hasCode(error) && (error.code === 'TokenInvalid' || error.status === 401)) return TOKEN_REJECTED;
  // @discordjs/ws reports these gateway close codes (4014, 4004) as plain errors.
  if (error instanceof Error && error.message === 'Used disallowed intents') return INTENT_REFUSED;
  if (error instanceof Error && error.message === 'Authentication failed') return TOKEN_REJECTED;
  if (hasCode(error) && (error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' || error.code === 'UND_ERR_CONNECT_TIMEOUT')) {
    return 'Could not reach Discord: check the internet connection (and DISCORD_API_URL, if set).';
  }
  // The engine reports a missing index or a model mismatch as a sentence naming the command that fixes it.
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim() || 'The bot could not start (unknown error); run with LOG_LEVEL=debug for details.';
}
