import { describeError } from './appError.ts';

export interface RunOptions {
  /**
   * End the process at once after a failure (a long-running command, whose open handles would otherwise keep it
   * alive). Short commands only set the exit code, so their output is flushed.
   */
  exitOnFailure?: boolean;
}

/**
 * Runs a command-line entry point. A failure the user can fix prints its one sentence to stderr; anything else
 * prints its stack. Either way the exit code is 1. `main` may return an exit code of its own.
 */
export function runMain(main: () => Promise<number | void>, options: RunOptions = {}): void {
  main().then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${describeError(error)}\n`);
      process.exitCode = 1;
      if (options.exitOnFailure) process.exit(1);
    },
  );
}
