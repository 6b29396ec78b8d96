// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/**
 * The floors of src/, bottom up: the data's journey from text to Discord. A folder may import its own floor's
 * ground (floor 0 folders import each other) and any floor below, never a floor above; the two top folders do not
 * import each other. `import-x/no-cycle` keeps imports from running in a circle.
 */
const FLOORS = [
  ['text', 'config', 'log', 'errors'],
  ['corpus'],
  ['chunks'],
  ['embeddings'],
  ['index'],
  ['retrieval'],
  ['answer'],
  ['state', 'service'],
  ['discord', 'terminal'],
];

const zones = FLOORS.flatMap((floor, level) =>
  floor.map((folder) => {
    const above = FLOORS.slice(level + 1).flat();
    const sideways = level === FLOORS.length - 1 ? floor.filter((other) => other !== folder) : [];
    return {
      target: `./src/${folder}`,
      from: [...above, ...sideways].map((other) => `./src/${other}`),
      message: `src/${folder} may import only the floors below it (FLOORS in eslint.config.js; "Project layout" in the README).`,
    };
  }),
).filter((zone) => zone.from.length > 0);

export default tseslint.config(
  { ignores: ['node_modules/', 'index/', 'models/', 'data/', 'dist/', '.cache/', '.tmp-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
