import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors/appError.ts';
import type { Logger } from '../log/logger.ts';
import { registry } from './metrics.ts';

/** A named check: resolves with a short status ("connected"), rejects with what is wrong. */
export type HealthChecks = Record<string, () => Promise<string>>;

export interface HealthReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; status: string }>;
}

/** Runs every check; one that takes longer than `timeoutMs` fails. */
export async function runChecks(checks: HealthChecks, timeoutMs: number): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
      try {
        return [name, { ok: true, status: await Promise.race([check(), late]) }] as const;
      } catch (error) {
        return [name, { ok: false, status: error instanceof Error ? error.message : String(error) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * GET /healthz (200 when every check passes, else 503, with the checks as JSON) and GET /metrics (Prometheus
 * text) on 127.0.0.1 only: these are for the machine's own monitoring, not for the internet.
 */
export async function startHealthServer(port: number, checks: HealthChecks, logger: Logger, timeoutMs: number): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const route = req.method === 'GET' ? new URL(req.url ?? '/', 'http://127.0.0.1').pathname : '';
    const reply = async () => {
      if (route === '/healthz') {
        const report = await runChecks(checks, timeoutMs);
        res.writeHead(report.ok ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify(report));
      } else if (route === '/metrics') {
        res.writeHead(200, { 'Content-Type': registry.contentType }).end(await registry.metrics());
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: try /healthz or /metrics\n');
      }
    };
    reply().catch((error: unknown) => {
      logger.error({ err: error, route }, 'health endpoint failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${error.code ?? error.message})`;
      reject(new AppError('HEALTH_PORT_UNAVAILABLE', `HEALTH_PORT ${port} on 127.0.0.1 ${why}`, 'Choose another HEALTH_PORT, or 0 for any free port.', { cause: error }));
    };
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  logger.info({ event: 'health_listening', port: actual }, `health and metrics on http://127.0.0.1:${actual}/healthz and /metrics`);
  return {
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
