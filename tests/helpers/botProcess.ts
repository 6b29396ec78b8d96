/**
 * `npm start` as a real process (src/discord/start.ts with tsx's loader), for tests that restart, kill or shard the bot.
 * Its JSON log lines (stderr) can be awaited; lines that are not JSON are what a person would read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/config.ts';

/** Node itself with tsx's loader (not the tsx command, which is a second process): a signal reaches the bot. */
const NODE_ARGS = ['--import', 'tsx', path.join('src', 'discord', 'start.ts')];

export type LogLine = Record<string, unknown>;

export interface BotProcess {
  child: ChildProcess;
  logs: LogLine[];
  /** Lines that are not JSON log lines. */
  sentences(): string[];
  /** The first log line (already written or to come) that matches; rejects when the process exits first or after `timeoutMs`. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited(): Promise<number | null>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startBotProcess(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, NODE_ARGS, { cwd: PROJECT_ROOT, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const logs: LogLine[] = [];
  const other: string[] = [];
  const events = new EventEmitter();
  let rest = '';
  child.stderr!.on('data', (data: Buffer) => {
    const lines = (rest + data.toString('utf8')).split('\n');
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
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const describe = () => [...logs.slice(-15).map((l) => JSON.stringify(l)), ...other].join('\n');
  return {
    child,
    logs,
    sentences: () => other,
    waitForLog(match, timeoutMs = 90_000) {
      const found = logs.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const done = (error?: Error, line?: LogLine) => {
          clearTimeout(timer);
          events.off('line', onLine);
          if (error) reject(error);
          else resolve(line!);
        };
        const onLine = (line: LogLine) => (match(line) ? done(undefined, line) : undefined);
        const timer = setTimeout(() => done(new Error(`no matching log line within ${timeoutMs} ms; last output:\n${describe()}`)), timeoutMs);
        events.on('line', onLine);
        void exit.then((code) => done(new Error(`the bot exited (${code}) before a matching log line; last output:\n${describe()}`)));
      });
    },
    exited: () => exit,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exit;
    },
  };
}
