/**
 * A process killed with SIGKILL in the middle of writing leaves the SQLite file consistent: every change is one
 * transaction, so each is there whole or not at all, and everything acknowledged before the kill is there.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/config.ts';
import { openSqliteStore } from '../../src/state/sqlite/sqliteStore.ts';
import { captureLogger } from '../discord/harness.ts';
import { makeTempDir, removeDir } from '../helpers/tempProject.ts';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('crash');
});
afterAll(async () => {
  await removeDir(dir);
});

/** Starts the writer and kills it (SIGKILL) once it has acknowledged `writes` writes; resolves with the last acknowledged. */
function writeThenKill(file: string, writes: number): Promise<number> {
  // Node itself with tsx's loader, not the tsx command: the signal must reach the writer, not a wrapper.
  const writer = path.join(import.meta.dirname, 'fixtures', 'writeUntilKilled.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', writer, file, dir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let last = -1;
  let buffer = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      buffer += data.toString('utf8');
      const done = buffer.split('\n');
      buffer = done.pop()!;
      if (done.length > 0) last = Number(done.at(-1));
      if (last >= writes && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    // A writer that stops acknowledging is killed too, so it never outlives the test.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && last >= writes) resolve(last);
      else reject(new Error(`writer exited with ${code ?? signal} after ${last} write(s)`));
    });
  });
}

describe('SQLite after SIGKILL', () => {
  it('is intact, holds every acknowledged write, and each change whole', async () => {
    const file = path.join(dir, 'state.sqlite');
    const acknowledged = await writeThenKill(file, 300);
    expect(acknowledged).toBeGreaterThanOrEqual(300);

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const turns = db.prepare('SELECT count(*) AS n FROM turns').get() as { n: number };
    const links = db.prepare('SELECT count(*) AS n FROM message_links').get() as { n: number };
    const answers = db.prepare('SELECT count(*) AS n FROM answers').get() as { n: number };
    const unanswered = db.prepare('SELECT count(*) AS n FROM unanswered').get() as { n: number };
    db.close();
    // Write i is a turn with its message link, then a button, then a record: at most one write was cut, between changes.
    expect(links.n).toBeGreaterThanOrEqual(acknowledged + 1);
    expect(answers.n).toBeGreaterThanOrEqual(acknowledged + 1);
    expect(unanswered.n).toBeGreaterThanOrEqual(acknowledged + 1);
    expect(links.n - unanswered.n).toBeLessThanOrEqual(1);
    // Three turns kept per conversation, 50 conversations.
    expect(turns.n).toBe(Math.min(links.n, 150));

    // And the bot opens it again as usual.
    const store = await openSqliteStore(
      { file, dataDir: dir, limits: { conversations: 100, messages: 10_000, answers: 10_000, records: 10_000 }, keepMs: 86_400_000, turns: 3 },
      captureLogger().logger,
    );
    const last = acknowledged;
    expect((await store.conversations.history(`c${last % 50}`)).at(-1)?.question).toMatch(/^question \d+$/);
    expect(await store.conversations.ofMessage(`m${last}`)).toBe(`c${last % 50}`);
    await store.close();
  });
});
