import { watch } from 'chokidar';

/**
 * Calls `onChange` once the folder has been quiet for `debounceMs` after any change. Runs never overlap:
 * a change during a run schedules one more run after it. Returns a function that stops watching.
 */
export function watchFolder(
  dir: string,
  onChange: () => Promise<void>,
  debounceMs = 750,
  accept: (file: string) => boolean = () => true,
): () => Promise<void> {
  const watcher = watch(dir, { ignoreInitial: true, depth: 0, awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 } });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let pending = false;

  const run = async (): Promise<void> => {
    if (running) {
      pending = true;
      return;
    }
    running = onChange().catch(() => undefined);
    await running;
    running = undefined;
    if (pending) {
      pending = false;
      await run();
    }
  };
  watcher.on('all', (_event, file) => {
    if (!accept(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  });
  return async () => {
    clearTimeout(timer);
    await watcher.close();
  };
}
