import { describe, expect, it } from 'vitest';
import { runNode } from './helpers/runNode.ts';

/** Runs the `ask` command as a user would (through tsx), returning stdout lines and stderr. */
async function ask(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const result = await runNode(['src/terminal/ask.ts', ...args], { input, env });
  return { status: result.status, lines: result.stdout.split('\n').filter(Boolean), stdout: result.stdout, stderr: result.stderr };
}

describe('ask command', () => {
  it('prints one JSON object for one question', async () => {
    const { status, lines } = await ask(['--json', 'Who succeeded Yezhov?']);
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    const answer = JSON.parse(lines[0]!);
    expect(answer).toMatchObject({ question: 'Who succeeded Yezhov?', abstained: false });
    const passage = answer.passages[0];
    expect(passage).toEqual(expect.objectContaining({ text: expect.any(String), section: expect.any(String), citation: expect.any(String), score: expect.any(Number), highlights: expect.any(Array) }));
  });

  it('answers every line of standard input independently, in order, with one model load', async () => {
    const questions = ['Who succeeded Yezhov?', 'What is the best pizza topping?', '', 'How many marshals were purged?'];
    const { status, lines } = await ask(['--json'], `${questions.join('\n')}\n`);
    expect(status).toBe(0);
    expect(lines.map((l) => JSON.parse(l).question)).toEqual(questions);
    expect(JSON.parse(lines[1]!).abstained).toBe(true);
  });

  it('treats lines as follow-ups with --conversation', async () => {
    const { lines } = await ask(['--json', '--conversation'], 'Who headed the NKVD at the height of the purge?\nWho replaced him?\n');
    const followUp = JSON.parse(lines[1]!);
    expect(followUp.passages.map((p: { text: string }) => p.text).join(' ')).toContain('Lavrenty Beria');
  });

  it('prints a readable answer with the citation', async () => {
    const { status, stdout } = await ask(['Who succeeded Yezhov?']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/Great Purge › End of Yezhovshchina ¶1/);
    expect(stdout).toContain('**');
  });

  it('answers an empty question with a JSON object holding the notice', async () => {
    const { status, lines } = await ask(['--json', '']);
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ question: '', abstained: true, notice: expect.stringMatching(/ask a question/) });
  });

  it('takes a question that starts with "-" after --, and does not swallow one without it', async () => {
    const asked = await ask(['--json', '--', '-n is this a question?']);
    expect(asked.status).toBe(0);
    expect(JSON.parse(asked.lines[0]!)).toMatchObject({ question: '-n is this a question?' });
    const eaten = await ask(['--json', '-n is this a question?'], '');
    expect(eaten.status).toBe(1);
    expect(eaten.stdout).toBe('');
    expect(eaten.stderr).toMatch(/goes after --/);
  });

  it.each([['0'], ['abc'], ['11']])('says clearly that -n %s is not a number of passages', async (value) => {
    const { status, stdout, stderr } = await ask(['-n', value, 'Who succeeded Yezhov?'], '');
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/'-n, --passages <n>' argument '.*' is invalid\. It must be a whole number from 1 to 10\./);
  });

  it('says which command fixes a missing index', async () => {
    const { status, stderr, stdout } = await ask(['--json', 'Who succeeded Yezhov?'], undefined, { INDEX_DIR: '/nonexistent/index' });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^No index found in .*npm run build-index/);
  });
});
