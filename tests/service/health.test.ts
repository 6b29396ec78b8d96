/** The health server: /healthz says which check fails, /metrics is Prometheus text, a taken port is one sentence. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/appError.ts';
import { startHealthServer, type HealthServer } from '../../src/service/health.ts';
import { botMetrics } from '../../src/service/metrics.ts';
import { captureLogger } from '../discord/harness.ts';

const { logger } = captureLogger();
let healthy = true;
let server: HealthServer;

beforeAll(async () => {
  server = await startHealthServer(
    0,
    {
      gateway: async () => 'connected',
      state: async () => {
        if (!healthy) throw new Error('Connection is closed.');
        return 'redis reachable';
      },
      slow: () => new Promise<string>(() => undefined),
    },
    logger,
    200,
  );
});
afterAll(async () => {
  await server?.close();
});

const get = (route: string) => fetch(`http://127.0.0.1:${server.port}${route}`);

describe('health server', () => {
  it('answers 503 naming the failing checks, a check that hangs included', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      ok: false,
      checks: { gateway: { ok: true, status: 'connected' }, state: { ok: true, status: 'redis reachable' }, slow: { ok: false, status: 'no answer within 200 ms' } },
    });
    healthy = false;
    const down = (await (await get('/healthz')).json()) as { checks: Record<string, { ok: boolean; status: string }> };
    expect(down.checks.state).toEqual({ ok: false, status: 'Connection is closed.' });
  });

  it('serves the metrics as Prometheus text, and 404 elsewhere', async () => {
    botMetrics.questions.inc({ source: 'slash' });
    const response = await get('/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^# TYPE quotebot_answer_seconds histogram$/m);
    expect(text).toMatch(/^quotebot_questions_total\{source="slash"\} [1-9]/m);
    expect((await get('/')).status).toBe(404);
  });

  it('says in one sentence that HEALTH_PORT is taken', async () => {
    let error: unknown;
    await startHealthServer(server.port, {}, logger, 200).catch((e: unknown) => (error = e));
    expect(isAppError(error, 'HEALTH_PORT_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toBe(`HEALTH_PORT ${server.port} on 127.0.0.1 is already in use. Choose another HEALTH_PORT, or 0 for any free port.`);
  });
});
