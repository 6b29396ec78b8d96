import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { chunkCorpus } from '../src/chunks/chunkCorpus.ts';
import { HUGE_SIZE, SCALE_SIZES, fitHeaps, writeSyntheticCorpus } from './lib/benchCorpus.ts';
import { memory, progress, timed } from './lib/benchStats.ts';

/**
 * The synthetic bench corpora on their own: how their vocabulary grows with their size (Heaps' law), what they
 * weigh and how long they take to write. Nothing is indexed.
 *
 *   npx tsx scripts/bench-corpus.ts [--huge] [--sizes 1000,10000] [--keep]
 *
 * Sizes are the scale benchmark's (1,000, 10,000 and 100,000 chunks; --huge adds 1,000,000). Chunks are counted
 * with the real chunker up to 100,000; the 1,000,000 corpus reports the generator's calibrated estimate (chunking
 * it in one process would hold the whole corpus in memory, which the generator itself never does).
 * "Words" are the project's tokens (src/text/tokens.ts: what the index's vocabulary is made of).
 */
const { values } = parseArgs({ options: { huge: { type: 'boolean', default: false }, sizes: { type: 'string' }, keep: { type: 'boolean', default: false } } });
// --sizes alone measures the generator's own memory (peak RSS also counts the chunker's runs on earlier sizes).
const sizes = values.sizes ? values.sizes.split(',').map(Number) : [...SCALE_SIZES, ...(values.huge ? [HUGE_SIZE] : [])];
const seedSource = await fs.readFile(path.join(PROJECT_ROOT, 'corpus/great-purge.txt'), 'utf8');
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'quote-corpus-'));
const countChunks = async (dir: string) => { let n = 0; await chunkCorpus(dir, (_, chunks) => { n += chunks.length; }); return n; };

const lines = [`load average (1 min) at start: ${os.loadavg()[0]!.toFixed(2)}`];
const points: Array<{ tokens: number; distinct: number }> = [];
try {
  for (const size of sizes) {
    const dir = path.join(root, `corpus-${size}`);
    progress(`writing ${size.toLocaleString('en-US')} chunks`);
    const written = await timed(() => writeSyntheticCorpus(dir, seedSource, size, countChunks));
    const { articles, bytes, vocabulary } = written.value;
    const chunks = size <= 100_000 ? `${(await countChunks(dir)).toLocaleString('en-US')} chunks` : `~${size.toLocaleString('en-US')} chunks (estimate)`;
    points.push(vocabulary);
    const within = fitHeaps(vocabulary.curve.filter((p) => p.tokens >= vocabulary.tokens / 1000));
    lines.push(
      `${size.toLocaleString('en-US').padStart(9)}: ${chunks}, ${articles.toLocaleString('en-US')} articles, ${(bytes / 1e6).toFixed(1)} MB, ` +
        `${vocabulary.tokens.toLocaleString('en-US')} words, ${vocabulary.distinct.toLocaleString('en-US')} distinct (β within this corpus ${within.beta.toFixed(3)}); ` +
        `written in ${Math.round(written.ms).toLocaleString('en-US')} ms, peak RSS ${memory().peak_rss_mb} MB, load ${os.loadavg()[0]!.toFixed(2)}`,
    );
    if (!values.keep) await fs.rm(dir, { recursive: true, force: true });
  }
  if (points.length > 1) {
    const fit = fitHeaps(points);
    lines.push(`Heaps' law across the sizes: distinct ≈ ${fit.k.toFixed(1)} · words^${fit.beta.toFixed(3)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  if (values.keep) progress(`corpora kept in ${root}`);
  else await fs.rm(root, { recursive: true, force: true });
}
