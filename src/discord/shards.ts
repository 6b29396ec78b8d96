/**
 * DISCORD_SHARDS: the bot through discord.js's ShardingManager, one process per shard. Each shard process runs
 * the same start file as `npm start` does (it knows it is a shard from the manager's environment): it loads
 * the model and the index, answers the guilds Discord gives its shard, swaps index generations by watching
 * index/manifest.json, and shares the state store with the others.
 */
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager, type APIGatewayBotInfo } from 'discord.js';
import { requireDiscordToken, type Config } from '../config/config.ts';
import { AppError } from '../errors/appError.ts';
import type { Logger } from '../log/logger.ts';
import { openStateStore } from '../state/openStateStore.ts';
import { refuseUnshareable } from '../state/sharing.ts';

const THIS_FILE = fileURLToPath(import.meta.url);
/** start.js next to this file in dist/ (`npm start`), start.ts in src/ (tests and tsx), which needs tsx's loader. */
const COMPILED = path.extname(THIS_FILE) === '.js';
const SHARD_ENTRY = path.join(path.dirname(THIS_FILE), COMPILED ? 'start.js' : 'start.ts');
const SHARD_EXEC_ARGV = COMPILED ? [] : ['--import', import.meta.resolve('tsx')];
/** Discord wants 5 s between identifies in one rate-limit bucket; discord.js waits 5.5 s between shards. */
const IDENTIFY_SPACING_MS = 5500;
/** A shard loads the model and the index before it logs in. */
const SHARD_READY_TIMEOUT_MS = 90_000;

/** The shard this process runs, when it was started by the ShardingManager. */
export function shardOfThisProcess(): number | undefined {
  if (!process.env.SHARDING_MANAGER || process.env.SHARDS === undefined) return undefined;
  const shards = JSON.parse(process.env.SHARDS) as number | number[];
  return Array.isArray(shards) ? shards[0] : shards;
}

export interface RunningShards {
  count: number;
  /** Stops every shard process (SIGTERM: each shuts down cleanly) and waits for them to exit. */
  stop(): Promise<void>;
}

/** How many shards and how fast they may start, from GET /gateway/bot (also checks the token before any shard starts). */
async function gatewayInfo(config: Config, token: string): Promise<APIGatewayBotInfo> {
  const rest = new REST(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}).setToken(token);
  return (await rest.get(Routes.gatewayBot())) as APIGatewayBotInfo;
}

export async function runShardManager(config: Config, logger: Logger): Promise<RunningShards> {
  const token = requireDiscordToken(config);
  const requested = config.shards ?? 'auto';
  refuseUnshareable(config.state.backend.kind, requested);
  // The store's own refusals (unreachable, on another host) in one sentence, here, rather than from every shard in turn.
  const store = await openStateStore(config, logger);
  await store.close();
  const info = await gatewayInfo(config, token);
  const count = requested === 'auto' ? info.shards : requested;

  // No respawning while starting: a shard that cannot start would be restarted for ever.
  const manager = new ShardingManager(SHARD_ENTRY, { totalShards: count, token, execArgv: SHARD_EXEC_ARGV, respawn: false });
  manager.on('shardCreate', (shard) => {
    logger.info({ event: 'shard_spawned', shard: shard.id, of: count }, `starting shard ${shard.id + 1} of ${count}`);
    shard.on('death', () => logger.warn({ event: 'shard_exited', shard: shard.id, respawn: manager.respawn }, `shard ${shard.id} exited`));
  });

  const stop = async () => {
    manager.respawn = false;
    await Promise.all(
      manager.shards.map(async (shard) => {
        const child = shard.process;
        if (!child || child.exitCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
  };

  const spacing = count <= info.session_start_limit.max_concurrency ? 0 : IDENTIFY_SPACING_MS;
  try {
    await manager.spawn({ amount: count, delay: spacing, timeout: SHARD_READY_TIMEOUT_MS });
  } catch (error) {
    await stop();
    // The shard printed its own sentence (its stderr is this process's); this one says which shard stopped.
    const why = error instanceof Error ? error.message : String(error);
    throw new AppError('STARTUP_FAILED', `A shard could not start (${why})`, 'Fix what its message above says, then start again.', { cause: error });
  }
  manager.respawn = true;
  logger.info({ event: 'shards_ready', count }, `all ${count} shard(s) ready`);
  return { count, stop };
}
