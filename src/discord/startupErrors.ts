import { GatewayCloseCodes } from 'discord.js';
import { AppError, type ErrorCode } from '../errors/appError.ts';

/** A failure at start-up that the user fixes outside the code (token, intents, connection). */
export class StartupError extends AppError {}

export function tokenRejected(): StartupError {
  return new StartupError(
    'DISCORD_TOKEN_REJECTED',
    'Discord rejected DISCORD_TOKEN',
    'Copy a fresh token from Developer Portal › your app › Bot › Reset Token into .env.',
  );
}

export function intentRefused(): StartupError {
  return new StartupError(
    'DISCORD_INTENT_REFUSED',
    'Discord refused the Message Content intent',
    'Enable it in Developer Portal › your app › Bot › Privileged Gateway Intents, or set REPLY_MODE=reply and leave ASK_CHANNEL_IDS empty.',
  );
}

export const TOKEN_REJECTED = tokenRejected().message;
export const INTENT_REFUSED = intentRefused().message;

function field(error: unknown, key: 'code' | 'status'): unknown {
  return typeof error === 'object' && error !== null && key in error ? (error as Record<string, unknown>)[key] : undefined;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The failure as an AppError: what discord.js and its REST and gateway layers report (by error code or status,
 * and for the two gateway close reasons that @discordjs/ws reports only as plain errors, by their fixed text),
 * or, for anything unexpected, one sentence with the first line of the error (the rest goes to the debug log).
 */
export function asStartupError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (field(error, 'code') === 'TokenInvalid' || field(error, 'status') === 401) return tokenRejected();
  if (error instanceof Error && error.message === 'Authentication failed') return tokenRejected();
  if (error instanceof Error && error.message === 'Used disallowed intents') return intentRefused();
  const code = field(error, 'code') ?? (error instanceof Error ? field(error.cause, 'code') : undefined);
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    return new StartupError('DISCORD_UNREACHABLE', 'Could not reach Discord', 'Check the internet connection (and DISCORD_API_URL, if set).', { cause: error });
  }
  const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim() || 'unknown error';
  return new StartupError('STARTUP_FAILED', `The bot could not start (${firstLine})`, 'Run with LOG_LEVEL=debug for the details.', { cause: error });
}

/**
 * Discord closed the gateway with a code no retry can fix (4004 token, 4010–4013 shard, version and intent values,
 * 4014 privileged intent: discord.js then gives up reconnecting). At start-up or later, the bot can no longer hear
 * anything, so the process ends with this sentence and a supervisor can restart it once the cause is fixed.
 */
export function gatewayClosed(code: number): StartupError {
  if (code === GatewayCloseCodes.AuthenticationFailed) return tokenRejected();
  if (code === GatewayCloseCodes.DisallowedIntents) return intentRefused();
  const name = GatewayCloseCodes[code] as string | undefined;
  return new StartupError(
    'DISCORD_CONNECTION_CLOSED' satisfies ErrorCode,
    `Discord closed the gateway connection for good (code ${code}${name ? `, ${name}` : ''})`,
    'Check DISCORD_TOKEN and the intents in the Developer Portal, then start the bot again (https://discordstatus.com if it persists).',
  );
}
