import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/config.ts';

/** Runs the `ask` command as a user would (through tsx), returning stdout lines and stderr. */
function ask(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/terminal/ask.ts', ...args], {
    cwd: PROJECT_ROOT,
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { status: result.status, lines: result.stdout.split('\n').filter(Boolean), stdout: result.stdout, stderr: result.stderr };
}

describe('ask command', () => {
  it('prints one JSON object for one question', () => {
    const { status, lines } = ask(['--json', 'Who succeeded Yezhov?']);
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!);
    expect(answer).toMatchObject({ question: 'Who succeeded Yezhov?', abstained: false });
    const passage = answer.passages[0];
    expect(passage).toEqual(expect.objectContaining({ text: expect.any(String), section: expect.any(String), citation: expect.any(String), score: expect.any(Number), highlights: expect.any(Array) }));
  });

  it('answers every line of standard input independently, in order, with one model load', () => {
    const questions = ['Who succeeded Yezhov?', 'What is the best pizza topping?', '', 'How many marshals were purged?'];
    const { status, lines } = ask(['--json'], `${questions.join('\n')}\n`);
    expect(status).toBe(0);
    expect(lines.map((l) => JSON.parse(l).question)).toEqual(questions);
    expect(JSON.parse(lines[1]!).abstained).toBe(true);
  });

  it('treats lines as follow-ups with --conversation', () => {
    const { lines } = ask(['--json', '--conversation'], 'Who headed the NKVD at the height of the purge?\nWho replaced him?\n');
    const followUp = JSON.parse(lines[1]!);
    expect(followUp.passages.map((p: { text: string }) => p.text).join(' ')).toContain('Lavrenty Beria');
  });

  it('prints a readable answer with the citation', () => {
    const { status, stdout } = ask(['Who succeeded Yezhov?']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/Great Purge › End of Yezhovshchina ¶1/);
    expect(stdout).toContain('**');
  });

  it('says which command fixes a missing index', () => {
    const { status, stderr, stdout } = ask(['--json', 'Who succeeded Yezhov?'], undefined, { INDEX_DIR: '/nonexistent/index' });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^No index found in .*npm run build-index/);
  });
});
