/**
 * A real redis-server for the tests, started on a free port of 127.0.0.1 in a temp folder (append-only file on,
 * so a restart keeps what was written), and stopped by the test. Without Debian's redis-server the Redis tests
 * are skipped with a reason, except under CI (CI=true), where .ci/run installs it and a missing one is a failure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { AppError } from '../../src/errors/appError.ts';
import { makeTempDir, removeDir } from './tempProject.ts';

const binary = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();

export const redisInstalled = binary !== '';
export const REDIS_SKIP_REASON = 'redis-server is not installed (apt-get install redis-server): the Redis tests are skipped';

// The warning is the test run's (scripts such as bench-state import this helper too, and say for themselves what
// they need).
if (!redisInstalled && process.env.VITEST) {
  if (process.env.CI) throw new Error('redis-server is missing under CI: .ci/run should have installed it');
  console.warn(`⚠ ${REDIS_SKIP_REASON}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  server.close();
  await once(server, 'close');
  return port;
}

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: it writes its data first); `start()` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  if (!redisInstalled) throw new AppError('STATE_UNAVAILABLE', 'redis-server is not installed', 'Install it (apt-get install redis-server) and run this again.');
  const dir = await makeTempDir('redis');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', path.join(dir, 'redis.log')];
    const proc = spawn(binary, args, { stdio: 'ignore' });
    child = proc;
    // Ready once it accepts connections.
    for (let attempt = 0; ; attempt++) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode} (see ${dir}/redis.log)`);
      const ok = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (ok) return;
      if (attempt > 200) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    close: async () => {
      await stop();
      await removeDir(dir);
    },
  };
}

/**
 * A Redis for tests that do not stop it: the one .ci/run started (TEST_REDIS_URL), in database `db` (each test
 * file its own, emptied first), or else a server of this test's own.
 */
export async function useRedis(db: number): Promise<{ url: string; close(): Promise<void> }> {
  const shared = process.env.TEST_REDIS_URL;
  if (!shared) {
    const own = await startRedis();
    return { url: own.url, close: own.close };
  }
  const url = `${shared.replace(/\/\d*$/, '')}/${db}`;
  const { Redis } = await import('ioredis');
  const client = new Redis(url);
  await client.flushdb();
  await client.quit();
  return { url, close: async () => undefined };
}
