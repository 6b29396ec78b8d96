import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../src/config/config.ts';
import { measureServe } from './benchServe.ts';

/**
 * The bot's side of one scale point of `npm run bench`, in a process of its own (its RSS is the bot's alone).
 * Started by benchScale.ts with `--expose-gc`; prints one JSON object (ServeResult) on stdout, progress on stderr.
 *
 *   node --expose-gc --import tsx scripts/lib/benchServeChild.ts --index DIR --corpus DIR --questions FILE --queries 200 --model bundled --model-cache DIR
 */
const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    corpus: { type: 'string' },
    questions: { type: 'string' },
    queries: { type: 'string', default: '200' },
    model: { type: 'string', default: 'bundled' },
    'model-cache': { type: 'string' },
  },
});

async function main(): Promise<void> {
  const { index, corpus, questions, queries, model } = values;
  const modelCache = values['model-cache'];
  if (!index || !corpus || !questions || !modelCache || !model) throw new Error('usage: benchServeChild --index DIR --corpus DIR --questions FILE --model-cache DIR');
  const result = await measureServe({
    indexDir: index,
    corpusDir: corpus,
    seedSource: await fs.readFile(path.join(PROJECT_ROOT, 'corpus/great-purge.txt'), 'utf8'),
    questions: (JSON.parse(await fs.readFile(questions, 'utf8')) as Array<{ question: string }>).map((q) => q.question),
    queryCount: Number(queries),
    modelId: model,
    modelCacheDir: modelCache,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
