import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { sourceState, whyStale } from '../scripts/lib/distBuild.mjs';
import { makeTempDir, removeDir } from './helpers/tempProject.ts';

describe('compiled entry points', () => {
  it('npm run ask answers from dist/ with plain node', () => {
    const result = spawnSync('npm', ['run', '-s', 'ask', '--', '--json', 'Who succeeded Yezhov?'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!);
    expect(answer).toMatchObject({ question: 'Who succeeded Yezhov?', abstained: false });
    expect(answer.passages[0].text).toContain('Lavrenty Beria succeeded him as head of the NKVD');
  });

  it('runs the compiled code, not tsx', async () => {
    const pkg = JSON.parse(await fs.readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    for (const script of ['start', 'ask', 'build-index']) {
      expect(pkg.scripts[script]).toMatch(/^node --import \.\/scripts\/ensure-built\.mjs dist\/\S+\.js$/);
      const entry = pkg.scripts[script].split(' ').pop();
      await expect(fs.stat(path.join(PROJECT_ROOT, entry))).resolves.toBeTruthy();
    }
  });
});

describe('dist/ staleness check', () => {
  let root = '';
  afterEach(() => removeDir(root));

  /** A project skeleton with the files the check looks at, stamped as freshly built. */
  async function builtProject(): Promise<string> {
    const dir = await makeTempDir('dist');
    await fs.mkdir(path.join(dir, 'src/config'), { recursive: true });
    await fs.mkdir(path.join(dir, 'scripts'), { recursive: true });
    await fs.mkdir(path.join(dir, 'dist'), { recursive: true });
    for (const file of ['src/config/config.ts', 'src/main.ts', 'scripts/build-index.ts', 'tsconfig.json', 'tsconfig.build.json']) {
      await fs.writeFile(path.join(dir, file), '// source\n');
    }
    await fs.writeFile(path.join(dir, 'dist/build-stamp.json'), JSON.stringify(sourceState(dir)));
    return dir;
  }

  it('is up to date right after a build', async () => {
    root = await builtProject();
    expect(whyStale(root)).toBeNull();
  });

  it('notices an edited source file', async () => {
    root = await builtProject();
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(root, 'src/config/config.ts'), later, later);
    expect(whyStale(root)).toMatch(/src\/ changed/);
  });

  it('notices an edited tsconfig', async () => {
    root = await builtProject();
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(root, 'tsconfig.build.json'), later, later);
    expect(whyStale(root)).toMatch(/changed/);
  });

  it('notices a removed or added file even with an old modification time', async () => {
    root = await builtProject();
    const earlier = new Date(Date.now() - 86_400_000);
    await fs.writeFile(path.join(root, 'src/added.ts'), '// restored from an old copy\n');
    await fs.utimes(path.join(root, 'src/added.ts'), earlier, earlier);
    expect(whyStale(root)).toMatch(/added to or removed/);
    await fs.rm(path.join(root, 'src/added.ts'));
    expect(whyStale(root)).toBeNull();
    await fs.rm(path.join(root, 'src/main.ts'));
    expect(whyStale(root)).toMatch(/added to or removed/);
  });

  it('says so when dist/ was never built', async () => {
    root = await builtProject();
    await fs.rm(path.join(root, 'dist'), { recursive: true });
    expect(whyStale(root)).toMatch(/not been built/);
  });
});
