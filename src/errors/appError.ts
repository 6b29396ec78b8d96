/**
 * Every failure a user can fix has a code and says, in one or two sentences, what is wrong and what fixes it.
 * Code decides by `code`, never by matching the wording; the wording is for people.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_MISSING'
  | 'CORPUS_INVALID'
  | 'MODEL_MISSING'
  | 'MODEL_UNAVAILABLE'
  | 'INDEX_MISSING'
  | 'INDEX_FILE_MISSING'
  | 'INDEX_DAMAGED'
  | 'INDEX_FORMAT'
  | 'INDEX_MODEL'
  | 'DISCORD_TOKEN_REJECTED'
  | 'DISCORD_INTENT_REFUSED'
  | 'DISCORD_UNREACHABLE'
  | 'DISCORD_LOGIN_FAILED'
  | 'DISCORD_CONNECTION_CLOSED'
  | 'STARTUP_FAILED'
  | 'STATE_UNAVAILABLE'
  | 'STATE_NOT_SHAREABLE'
  | 'STATE_SCHEMA_NEWER'
  | 'REINDEX_ELSEWHERE'
  | 'HEALTH_PORT_UNAVAILABLE';

export class AppError extends Error {
  readonly code: ErrorCode;
  /** What is wrong, without the fix ("No index found in index/"). */
  readonly problem: string;
  /** The sentence that says what to do ("Run `npm run build-index`."). */
  readonly fix: string;

  constructor(code: ErrorCode, problem: string, fix: string, options?: ErrorOptions) {
    super(`${problem}. ${fix}`, options);
    this.name = new.target.name;
    this.code = code;
    this.problem = problem;
    this.fix = fix;
  }
}

export function isAppError(error: unknown, code?: ErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}

/** The text to show a person for an error: the sentence for an AppError, else the stack (an unexpected bug). */
export function describeError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
