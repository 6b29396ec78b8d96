import pino from 'pino';

/**
 * One structured logger, writing JSON lines to stderr so stdout stays free for answers and --json output.
 * Secrets are redacted by key name wherever they appear.
 */
export function createLogger(level: pino.LevelWithSilent = 'info'): pino.Logger {
  return pino(
    { level, redact: { paths: ['token', '*.token', 'config.discord.token', 'headers.authorization'], censor: '[redacted]' } },
    pino.destination({ fd: 2, sync: true }),
  );
}

export type Logger = pino.Logger;
