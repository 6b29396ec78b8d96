import type { Config } from '../config/config.ts';
import type { Logger } from '../log/logger.ts';
import { openJsonFileStore } from './jsonFileStore.ts';
import type { StateStore } from './types.ts';

/** The state store the configuration asks for. */
export function openStateStore(config: Config, logger: Logger): Promise<StateStore> {
  return openJsonFileStore(config.paths.data, logger, { turns: config.answers.historyTurns });
}
