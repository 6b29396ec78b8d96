// `npm run build` (and npm's prepare step, so `npm ci` builds): compiles the entry points into dist/.
import { URL, fileURLToPath } from 'node:url';
import { buildDist } from './lib/distBuild.mjs';

buildDist(fileURLToPath(new URL('..', import.meta.url)));
