import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on one of the project's modules: `name` ("./graphWorker") beside the module at `base`
 * (its `import.meta.url`). Compiled, that is `dist/…/graphWorker.js`; from the sources (tsx, the tests) it is the
 * `.ts` file, and the worker first registers tsx's loader itself (a worker inherits no loader, and vitest's is not
 * one Node can use).
 */
export function startModuleWorker(name: string, base: string, workerData?: unknown): Worker {
  const fromSources = base.endsWith('.ts');
  const module = new URL(`${name}${fromSources ? '.ts' : '.js'}`, base);
  // No inherited execArgv: the launcher's --import must not run again in the worker.
  return new Worker(BOOT, { eval: true, execArgv: [], workerData: { module: module.href, tsx: fromSources ? tsxLoaderUrl() : null, data: workerData } });
}

/** Plain CommonJS evaluated from a string, so that it needs no loader to start. */
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.module);
})().catch((error) => {
  setImmediate(() => {
    throw error;
  });
});
`;

/** The file URL of tsx's ESM loader API (`tsx/esm/api`, the import condition of its package exports). */
function tsxLoaderUrl(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return pathToFileURL(path.join(path.dirname(packageJson), exports['./esm/api']!.import.default)).href;
}

/** The data a worker started by startModuleWorker was given. */
export function moduleWorkerData<T>(data: unknown): T {
  return (data as { data: T }).data;
}
