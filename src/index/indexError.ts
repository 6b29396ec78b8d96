import { AppError, type ErrorCode } from '../errors/appError.ts';

/** The index cannot be used as it is; the fix names the command that repairs it. */
export class IndexError extends AppError {
  constructor(code: Extract<ErrorCode, `INDEX_${string}`>, problem: string, fix: string) {
    super(code, problem, fix);
  }
}

export const REBUILD = 'Run `npm run build-index`.';
export const FULL_REBUILD = 'Run `npm run build-index -- --full`.';
