/**
 * `npm start` as a real process (src/discord/start.ts with tsx's loader), for tests that restart, kill or shard the bot.
 * Its JSON log lines (stderr) can be awaited; lines that are not JSON are what a person would read.
 *
 * Every process started here is killed, with the shard processes it started, when its test file ends (whatever the
 * test did), when `stop()` or `exited()` waits too long, and when the test worker exits: a bot that hangs never
 * outlives its test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config.ts';

/** Node itself with tsx's loader (not the tsx command, which is a second process): a signal reaches the bot. */
const NODE_ARGS = ['--import', 'tsx', path.join('src', 'discord', 'start.ts')];
/** How long `stop()` waits after its signal before it kills the process for good. */
const STOP_GRACE_MS = 20_000;

export type LogLine = Record<string, unknown>;

export interface BotProcess {
  child: ChildProcess;
  /** The JSON log lines so far. */
  logs: LogLine[];
  /** All of stderr so far. */
  stderr(): string;
  /** Lines that are not JSON log lines: what a person reads. */
  sentences(): string[];
  /** The first log line (already written or to come) that matches; rejects when the process exits first or after `timeoutMs`. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves once stderr matches; rejects when the process exits first or after `timeoutMs`. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (null when killed by a signal); after `timeoutMs` kills the process and rejects. */
  exited(timeoutMs?: number): Promise<number | null>;
  /** Sends the signal and waits for the exit; a process still running after STOP_GRACE_MS is killed (SIGKILL). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills the process and everything it started (its own process group: the shard manager's shards too). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

// Registered when a test file first imports this helper, so it runs after that file's own hooks (hooks run in reverse).
// Only under vitest: `npm run bench-state` starts bots with this helper too, and vitest cannot be imported outside it.
if (process.env.VITEST) {
  const { afterAll } = await import('vitest');
  afterAll(() => {
    for (const child of running) killGroup(child);
  });
}
process.on('exit', () => {
  for (const child of running) killGroup(child);
});

export function startBotProcess(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, NODE_ARGS, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so that killGroup reaches the shard processes a manager started.
    detached: true,
  });
  running.add(child);
  const logs: LogLine[] = [];
  const other: string[] = [];
  const events = new EventEmitter();
  let stderr = '';
  let rest = '';
  child.stderr!.on('data', (data: Buffer) => {
    const text = data.toString('utf8');
    stderr += text;
    const lines = (rest + text).split('\n');
    rest = lines.pop()!;
    for (const line of lines.filter((l) => l.trim())) {
      try {
        const parsed = JSON.parse(line) as LogLine;
        logs.push(parsed);
        events.emit('line', parsed);
      } catch {
        other.push(line);
      }
    }
    events.emit('output');
  });
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      // A shard manager that exited may leave shards behind.
      killGroup(child);
      running.delete(child);
      resolve(code);
    }),
  );
  const describe = () => [...logs.slice(-15).map((l) => JSON.stringify(l)), ...other].join('\n');

  /** Resolves when `found()` gives a value; rejects on exit or after `timeoutMs`. */
  function waitFor<T>(what: string, event: string, found: () => T | undefined, timeoutMs: number): Promise<T> {
    const now = found();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const done = (error?: Error, value?: T) => {
        clearTimeout(timer);
        events.off(event, check);
        if (error) reject(error);
        else resolve(value!);
      };
      const check = () => {
        const value = found();
        if (value !== undefined) done(undefined, value);
      };
      const timer = setTimeout(() => done(new Error(`no ${what} within ${timeoutMs} ms; last output:\n${describe()}`)), timeoutMs);
      events.on(event, check);
      void exit.then((code) => done(new Error(`the bot exited (${code}) before ${what}; last output:\n${describe()}`)));
    });
  }

  return {
    child,
    logs,
    stderr: () => stderr,
    sentences: () => other,
    waitForLog: (match, timeoutMs = 90_000) => waitFor('matching log line', 'line', () => logs.find(match), timeoutMs),
    waitForOutput: async (re, timeoutMs = 60_000) => {
      await waitFor(`output matching ${re}`, 'output', () => (re.test(stderr) ? true : undefined), timeoutMs);
    },
    async exited(timeoutMs = 60_000) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          killGroup(child);
          reject(new Error(`the bot did not exit within ${timeoutMs} ms (killed); last output:\n${describe()}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exit, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => killGroup(child), STOP_GRACE_MS);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
