import { Redis } from 'ioredis';
import { describeStateBackend } from '../../config/config.ts';
import { STATE_TUNING } from '../../config/tuning.ts';
import { AppError } from '../../errors/appError.ts';

/** Every key of the bot starts with this, so it may share a Redis database with other programs. */
export const KEY_PREFIX = 'quotebot:';

/**
 * Connects to STATE_URL and checks the server answers; an unreachable server is one sentence naming the setting.
 * Once connected, the client reconnects by itself for ever. Commands fail at once while it is disconnected
 * (no offline queue), so a question never waits for Redis: the store falls back and retries writes itself.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const where = describeStateBackend({ kind: 'redis', url });
  const client = new Redis(url, {
    lazyConnect: true,
    keyPrefix: KEY_PREFIX,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: STATE_TUNING.redisCommandTimeoutMs,
    connectTimeout: STATE_TUNING.redisCommandTimeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * STATE_TUNING.redisReconnectStepMs, STATE_TUNING.redisReconnectMaxMs),
  });
  let lastError: Error | undefined;
  const remember = (error: Error) => (lastError = error);
  client.on('error', remember);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const reason = (lastError ?? (error as Error)).message.split('\n')[0];
    throw new AppError('STATE_UNAVAILABLE', `Could not reach ${where} given in STATE_URL (${reason})`, 'Start Redis there, or fix STATE_URL in .env.', { cause: error });
  } finally {
    client.off('error', remember);
  }
  return client;
}
