// Loaded with `node --import` before a compiled entry point (npm start, ask, build-index): after an edit to src/,
// dist/ is rebuilt first, so the command never runs old code.
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { buildDist, whyStale } from './lib/distBuild.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const reason = whyStale(root);
if (reason) {
  process.stderr.write(`Rebuilding dist/ (${reason}) …\n`);
  try {
    buildDist(root);
  } catch {
    process.stderr.write('Building dist/ failed (see above); fix the error and run `npm run build`.\n');
    process.exit(1);
  }
}
