import pino from 'pino';

/**
 * Secrets inside text, which key-based redaction cannot see: an interaction or webhook token is part of the URL of
 * every request made with it (`err.url` of a failed reply: /interactions/<id>/<token>/callback,
 * /webhooks/<application>/<token>/…), and a bot token is three dot-separated base64url parts.
 */
const SECRETS_IN_TEXT: Array<[RegExp, string]> = [
  [/(\/(?:interactions|webhooks)\/\d+\/)[^/?#"\s\\]+/g, '$1[redacted]'],
  [/[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}/g, '[redacted]'],
];

export function redactSecrets(line: string): string {
  return SECRETS_IN_TEXT.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), line);
}

/**
 * One structured logger, writing JSON lines to stderr so stdout stays free for answers and --json output.
 * Secrets are redacted by key name wherever they appear, and by shape inside any text (see SECRETS_IN_TEXT).
 * `destination` is for tests that read the lines.
 */
export function createLogger(level: pino.LevelWithSilent = 'info', destination: pino.DestinationStream = pino.destination({ fd: 2, sync: true })): pino.Logger {
  return pino(
    {
      level,
      redact: { paths: ['token', '*.token', 'config.discord.token', 'headers.authorization'], censor: '[redacted]' },
      hooks: { streamWrite: redactSecrets },
    },
    destination,
  );
}

export type Logger = pino.Logger;
