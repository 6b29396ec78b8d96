// Plain JavaScript, not TypeScript: it must run before anything is compiled, with plain `node`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';

/** What the compiled entry points are made of: a change to any of them makes dist/ stale. */
const SOURCE_DIRS = ['src'];
const SOURCE_FILES = ['scripts/build-index.ts', 'tsconfig.json', 'tsconfig.build.json'];
/** Written after a successful build: what the sources looked like when it started. */
const STAMP = 'dist/build-stamp.json';

/**
 * The newest modification time and the number of the source files. The count catches a file added or removed
 * with an old modification time (a restore, `git mv`).
 * @param {string} root
 * @returns {{ newestMs: number, files: number }}
 */
export function sourceState(root) {
  const files = [
    ...SOURCE_DIRS.flatMap((dir) =>
      readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name)),
    ),
    ...SOURCE_FILES.map((file) => path.join(root, file)),
  ];
  let newestMs = 0;
  for (const file of files) newestMs = Math.max(newestMs, statSync(file).mtimeMs);
  return { newestMs, files: files.length };
}

/**
 * Why dist/ would run other code than src/ holds, or null when it is up to date.
 * @param {string} root
 * @returns {string | null}
 */
export function whyStale(root) {
  const stampFile = path.join(root, STAMP);
  if (!existsSync(stampFile)) return 'dist/ has not been built';
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  const now = sourceState(root);
  if (now.files !== stamp.files) return 'files were added to or removed from src/ since the last build';
  if (now.newestMs > stamp.newestMs) return 'src/ changed since the last build';
  return null;
}

/**
 * Compiles src/ and scripts/build-index.ts into dist/ with tsc (tsconfig.build.json: emit only; `npm run
 * typecheck` checks the types). tsc's own output goes to stderr, so a command whose stdout is JSON stays clean.
 * @param {string} root
 */
export function buildDist(root) {
  const before = sourceState(root);
  const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 2, 2] });
  writeFileSync(path.join(root, STAMP), `${JSON.stringify(before)}\n`);
}
