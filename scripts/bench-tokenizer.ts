import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { embeddingText } from '../src/chunks/chunkArticle.ts';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import type { Embedder } from '../src/embeddings/types.ts';
import { buildIndex } from '../src/index/buildIndex.ts';
import { corpusChunks } from '../src/chunks/chunkCorpus.ts';
import { writeSyntheticCorpus } from './lib/benchCorpus.ts';
import { median } from './lib/benchStats.ts';

/**
 * The bundled model's two tokenizers side by side, in one run: the plain word lookup (the default) and
 * transformers.js' generic tokenizer (`genericTokenizer: true`). Both produce the same vectors
 * (tests/wholeWordTokenizer.test.ts); this measures what the lookup saves.
 *
 *   npx tsx scripts/bench-tokenizer.ts [--texts 5000] [--rounds 3] [--loads 5] [--build 10000]
 *
 * Model load: fresh processes, alternating, each timing loadEmbedder once (what a cold start pays).
 * Throughput: embedPassages over the seed article's chunks (as the build embeds them) repeated to --texts, in
 * alternating rounds in this process. --build N: full buildIndex of a synthetic corpus of about N chunks
 * (scripts/lib/benchCorpus.ts) with each tokenizer, alternating, --rounds times each, and the share of it spent
 * in embedPassages. The load average is printed beside the figures: the machine is shared.
 */
const { values } = parseArgs({
  options: {
    texts: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    loads: { type: 'string', default: '5' },
    build: { type: 'string' },
    'load-once': { type: 'string' },
  },
});

type Variant = 'plain' | 'generic';
const VARIANTS: Variant[] = ['plain', 'generic'];
// Both through the ONNX model, so that only the tokenizer differs (the default reads token vectors instead: tokenVectors.ts).
const load = (variant: Variant) => loadEmbedder('bundled', { genericTokenizer: variant === 'generic', onnx: true });
const loadAvg = () => os.loadavg()[0]!.toFixed(2);

if (values['load-once']) {
  // Child mode: one cold load, its time on stdout.
  const started = performance.now();
  await load(values['load-once'] as Variant);
  process.stdout.write(`${performance.now() - started}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(`load average (1 min) at start: ${loadAvg()}\n`);

  const loads: Record<Variant, number[]> = { plain: [], generic: [] };
  for (let i = 0; i < Number(values.loads); i++) {
    for (const variant of i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--load-once', variant], { cwd: PROJECT_ROOT, encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      loads[variant].push(Number(child.stdout.trim()));
    }
  }
  for (const variant of VARIANTS) {
    process.stdout.write(`model load, ${variant.padEnd(7)}  median ${Math.round(median(loads[variant]))} ms  (runs ${loads[variant].map(Math.round).join(', ')})\n`);
  }
  process.stdout.write(`load average after the loads: ${loadAvg()}\n`);

  const chunks = await corpusChunks(path.join(PROJECT_ROOT, 'corpus'));
  const seed = chunks.map((c) => embeddingText(c));
  const texts = Array.from({ length: Number(values.texts) }, (_, i) => seed[i % seed.length]!);
  const embedders = { plain: await load('plain'), generic: await load('generic') };
  const rates: Record<Variant, number[]> = { plain: [], generic: [] };
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const started = performance.now();
      await embedders[variant].embedPassages(texts);
      rates[variant].push(texts.length / ((performance.now() - started) / 1000));
    }
  }
  for (const variant of VARIANTS) {
    process.stdout.write(`embedding, ${variant.padEnd(7)}   median ${Math.round(median(rates[variant]))} chunks/s  (rounds ${rates[variant].map(Math.round).join(', ')})\n`);
  }
  const ratio = median(rates.plain) / median(rates.generic);
  process.stdout.write(`plain / generic throughput: ${ratio.toFixed(2)}×; load average (1 min) at end: ${loadAvg()}\n`);
  if (values.build) await compareBuilds(embedders, Number(values.build), Number(values.rounds));
}

/** Full builds of one synthetic corpus with each embedder, alternating; how much of each went into embedPassages. */
async function compareBuilds(embedders: Record<Variant, Embedder>, chunks: number, rounds: number): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'quote-tokenizer-'));
  try {
    const corpusDir = path.join(root, 'corpus');
    const seedSource = await fs.readFile(path.join(PROJECT_ROOT, 'corpus/great-purge.txt'), 'utf8');
    await writeSyntheticCorpus(corpusDir, seedSource, chunks, async (dir) => (await corpusChunks(dir)).length);
    for (let round = 0; round < rounds; round++) {
      for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
        const inner = embedders[variant];
        let embedMs = 0;
        const embedder: Embedder = {
          ...inner,
          async embedPassages(texts, onProgress) {
            const started = performance.now();
            const vectors = await inner.embedPassages(texts, onProgress);
            embedMs += performance.now() - started;
            return vectors;
          },
        };
        const before = loadAvg();
        const started = performance.now();
        const summary = await buildIndex({ corpusDir, indexDir: path.join(root, `index-${variant}-${round}`), embedder, full: true });
        const ms = performance.now() - started;
        process.stdout.write(
          `build of ${summary.chunks.toLocaleString('en-US')} chunks, ${variant.padEnd(7)}  ${Math.round(ms).toLocaleString('en-US')} ms, ` +
            `of which embedPassages ${Math.round(embedMs).toLocaleString('en-US')} ms (chunks and vocabulary words); load ${before} → ${loadAvg()}\n`,
        );
        await fs.rm(path.join(root, `index-${variant}-${round}`), { recursive: true, force: true });
      }
    }
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
