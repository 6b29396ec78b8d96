import { Status, type Client } from 'discord.js';
import type { Config } from '../config/config.ts';
import { STATE_TUNING } from '../config/tuning.ts';
import type { Logger } from '../log/logger.ts';
import { startHealthServer, type HealthChecks, type HealthServer } from '../service/health.ts';
import type { StateStore } from '../state/types.ts';
import type { BotEngine } from './context.ts';

/** What /healthz checks for a bot process: its gateway connection, its index, its state store. */
export function botHealthChecks(client: Client, engine: BotEngine, store: StateStore): HealthChecks {
  return {
    gateway: async () => {
      if (client.ws.status !== Status.Ready) throw new Error(`not connected (${Status[client.ws.status]})`);
      return 'connected';
    },
    index: async () => {
      const stats = engine.stats();
      if (stats.chunks === 0) throw new Error('no chunks loaded');
      return `${stats.chunks} chunks, built ${stats.builtAt}`;
    },
    state: async () => {
      await store.ping();
      return `${store.backend.kind} reachable`;
    },
  };
}

/** With HEALTH_PORT set: the health server of this process; shard n listens on HEALTH_PORT + n (0: any free port). */
export function startBotHealth(config: Config, shard: number, checks: HealthChecks, logger: Logger): Promise<HealthServer> | undefined {
  if (config.healthPort === undefined) return undefined;
  const port = config.healthPort === 0 ? 0 : config.healthPort + shard;
  return startHealthServer(port, checks, logger, STATE_TUNING.healthPingTimeoutMs);
}
