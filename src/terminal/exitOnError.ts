import { ConfigError } from '../config/config.ts';

/** Errors whose message already tells the user what to do: shown as one line, without a stack trace. */
const EXPLAINED = new Set(['ConfigError', 'IndexError', 'CorpusError', 'ModelError']);

export function describeError(error: unknown): string {
  if (error instanceof Error && (EXPLAINED.has(error.name) || error instanceof ConfigError)) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Runs a command-line entry point: a known problem prints one clear sentence to stderr and exits 1. */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      process.stderr.write(`${describeError(error)}\n`);
      process.exitCode = 1;
    },
  );
}
