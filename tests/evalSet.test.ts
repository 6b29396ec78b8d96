import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/config.ts';

describe('evaluation set', () => {
  it('has answer spans that occur exactly once in the article, under the section they name, and dev and test splits that pass every check', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'tests/eval/validate.ts'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout + result.stderr).toContain('OK: all checks passed');
    expect(result.status).toBe(0);
  });
});
