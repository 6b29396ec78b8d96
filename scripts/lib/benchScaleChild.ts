import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { measureScale } from './benchScale.ts';

/**
 * One scale point of `npm run bench`, run in its own process so its memory (RSS, peak RSS) is not mixed with
 * the seed measurements or another scale point. Started by scripts/bench.ts with `--expose-gc`; prints one
 * JSON object (ScaleResult) on stdout, progress on stderr.
 *
 *   node --expose-gc --import tsx scripts/lib/benchScaleChild.ts --chunks 10000 --work /tmp/dir --seed corpus/great-purge.txt \
 *     --questions tests/eval/dev/questions.json --queries 200 --model bundled --model-cache .cache/models [--incremental] [--keep]
 */
const { values } = parseArgs({
  options: {
    chunks: { type: 'string' },
    work: { type: 'string' },
    seed: { type: 'string' },
    questions: { type: 'string' },
    queries: { type: 'string', default: '200' },
    model: { type: 'string', default: 'bundled' },
    'model-cache': { type: 'string' },
    keep: { type: 'boolean', default: false },
    incremental: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const { chunks, work, seed, questions, queries, model } = values;
  const modelCache = values['model-cache'];
  if (!chunks || !work || !seed || !questions || !modelCache) throw new Error('usage: benchScaleChild --chunks N --work DIR --seed FILE --questions FILE --model-cache DIR');
  try {
    const result = await measureScale({
      targetChunks: Number(chunks),
      workDir: work,
      seedSource: await fs.readFile(seed, 'utf8'),
      questionsFile: questions,
      queryCount: Number(queries),
      modelId: model,
      modelCacheDir: modelCache,
      incremental: Boolean(values.incremental),
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (!values.keep) await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
