import type { Config } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import { prepareDataDir } from './jsonFile.ts';
import { openJsonFileStore } from './jsonFileStore.ts';
import { openRedisStore } from './redis/redisStore.ts';
import { openSqliteStore } from './sqlite/sqliteStore.ts';
import type { StateStore } from './types.ts';

/** The state store STATE_URL asks for (SQLite in DATA_DIR by default). Rejects with one sentence when it cannot be opened. */
export async function openStateStore(config: Config, logger: Logger): Promise<StateStore> {
  const { backend, limits, keepMs } = config.state;
  // Every backend needs DATA_DIR (the user-hash salt; SQLite's default file and the old JSON files it imports):
  // an unusable one is named before anything else.
  await prepareDataDir(config.paths.data);
  const turns = config.answers.historyTurns;
  switch (backend.kind) {
    case 'sqlite':
      return openSqliteStore({ file: backend.file, dataDir: config.paths.data, limits, keepMs, turns }, logger);
    case 'redis':
      return openRedisStore({ url: backend.url, limits, keepMs, turns }, logger);
    case 'json':
      return openJsonFileStore(backend.dir, logger, { ...limits, turns });
  }
}
