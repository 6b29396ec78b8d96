import readline from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/config.ts';
import { loadEnvFile } from '../config/loadEnv.ts';
import { createLogger } from '../log/logger.ts';
import { openLiveEngine } from '../service/liveEngine.ts';
import type { AnswerEngine } from '../answer/engine.ts';
import type { Answer, Turn } from '../answer/types.ts';
import { turnOf } from '../answer/followUp.ts';
import { runMain } from '../errors/runMain.ts';
import { ANSI_STYLE, PLAIN_STYLE, formatAnswer } from './formatAnswer.ts';

/** MAX_PASSAGES's range (src/config/config.ts). */
function passageCount(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 10) throw new InvalidArgumentError('It must be a whole number from 1 to 10.');
  return Number(value);
}

const DASH_HINT = '(A question that starts with "-" goes after --, e.g. npm run ask -- -- "-n is this a question?")';

const program = new Command()
  .name('ask')
  .description('Answer questions about the corpus from the terminal, by quoting it.')
  .argument('[question...]', 'the question (after --, if it starts with "-"); without it, questions are read from standard input (interactive on a terminal)')
  .option('--json', 'print one JSON object per answer on stdout (nothing else goes to stdout)')
  .option('--conversation', 'treat each input line as a follow-up of the lines before it')
  .option('-n, --passages <n>', 'number of passages per answer, 1 to 10', passageCount)
  .showHelpAfterError(DASH_HINT);

runMain(async () => {
  program.parse();
  const options = program.opts<{ json?: boolean; conversation?: boolean; passages?: number }>();
  // An empty argument is still a question (its answer is the notice); no argument at all means: read standard input.
  const question = program.args.length > 0 ? program.args.join(' ') : undefined;
  loadEnvFile();
  const config = loadConfig();
  const engine = await openLiveEngine(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel));
  const maxPassages = options.passages;
  const style = process.stdout.isTTY ? ANSI_STYLE : PLAIN_STYLE;
  const print = (answer: Answer) =>
    process.stdout.write(options.json ? `${JSON.stringify(answer)}\n` : `${formatAnswer(answer, style)}\n\n`);

  if (question !== undefined) {
    print(await engine.answer(question, { maxPassages }));
  } else if (process.stdin.isTTY && !options.json) {
    await interactive(engine, maxPassages);
  } else {
    // Piped input: one question per line, answered in order with one model load for all of them.
    const history: Turn[] = [];
    for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      const answer = await engine.answer(line, { maxPassages, history: options.conversation ? history : [] });
      const turn = turnOf(answer);
      if (options.conversation && turn) history.push(turn);
      print(answer);
    }
  }
  await engine.close();
});

/** A conversation at the prompt: every question is a follow-up of the earlier ones until /new. */
async function interactive(engine: AnswerEngine, maxPassages: number | undefined): Promise<void> {
  const { articles, chunks } = engine.stats();
  process.stdout.write(`Ask about the corpus (${articles} article(s), ${chunks} passages). Follow-up questions use the conversation so far.\nCommands: /new starts over, /quit exits.\n\n`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: '? ' });
  let history: Turn[] = [];
  rl.prompt();
  for await (const line of rl) {
    const command = line.trim().toLowerCase();
    if (command === '/quit' || command === '/exit') break;
    if (command === '/new') {
      history = [];
      process.stdout.write('Started a new conversation.\n\n');
    } else if (command !== '') {
      const answer = await engine.answer(line, { history, maxPassages });
      const turn = turnOf(answer);
      if (turn) history.push(turn);
      process.stdout.write(`${formatAnswer(answer, ANSI_STYLE)}\n\n`);
    }
    rl.prompt();
  }
  rl.close();
}
