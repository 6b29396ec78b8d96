import fs from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import type { Embedder } from '../src/embeddings/types.ts';
import { DEFAULT_CHUNKING, buildIndex, planIndex } from '../src/index/buildIndex.ts';
import { loadIndex } from '../src/index/loadIndex.ts';
import { checkIndex } from '../src/index/checkIndex.ts';
import { DEFAULT_HNSW, searchHnsw } from '../src/index/hnsw.ts';
import { IndexError } from '../src/index/indexError.ts';
import { tempProject } from './helpers/tempProject.ts';

let embedder: Embedder;
let project: Awaited<ReturnType<typeof tempProject>>;
const model = () => ({ id: embedder.modelId, hash: embedder.modelHash });

beforeAll(async () => {
  embedder = await loadEmbedder('bundled', {});
  project = await tempProject();
  await buildIndex({ corpusDir: project.corpusDir, indexDir: project.indexDir, embedder });
});
afterAll(() => project.cleanup());

describe('index', () => {
  it('finds the chunk that contains a quoted sentence', async () => {
    const index = await loadIndex(project.indexDir, model());
    const sentence = 'Lavrenty Beria succeeded him as head of the NKVD.';
    const [best] = searchHnsw(index.hnsw, await embedder.embedQuery(sentence), 1);
    expect(index.chunks[best!.label]!.text).toContain(sentence);
  });

  it('is up to date right after a build, and a second build changes nothing', async () => {
    expect(await checkIndex(project.corpusDir, project.indexDir, embedder)).toEqual({ upToDate: true });
    const again = await buildIndex({ corpusDir: project.corpusDir, indexDir: project.indexDir, embedder });
    expect(again).toMatchObject({ changed: false, embedded: 0 });
  });

  it('re-embeds only the chunks of an edited paragraph', async () => {
    const file = path.join(project.corpusDir, 'great-purge.txt');
    const original = await fs.readFile(file, 'utf8');
    const edited = original.replace('One of Russia\'s leading human rights groups', 'One of Russia\'s best known human rights groups');
    expect(edited).not.toBe(original);
    await fs.writeFile(file, edited);
    const check = await checkIndex(project.corpusDir, project.indexDir, embedder);
    expect(check.upToDate).toBe(false);
    const summary = await buildIndex({ corpusDir: project.corpusDir, indexDir: project.indexDir, embedder });
    expect(summary).toMatchObject({ changed: true, embedded: 1, removed: 1 });
    expect(summary.reused).toBe(summary.chunks - 1);
    await fs.writeFile(file, original);
    await buildIndex({ corpusDir: project.corpusDir, indexDir: project.indexDir, embedder });
  });

  it('re-chunks only the articles whose text changed', async () => {
    const copy = await tempProject();
    try {
      const file = path.join(copy.corpusDir, 'great-purge.txt');
      const source = await fs.readFile(file, 'utf8');
      await fs.writeFile(path.join(copy.corpusDir, 'second.txt'), source.replace('Great Purge', 'Second Purge'));
      await buildIndex({ corpusDir: copy.corpusDir, indexDir: copy.indexDir, embedder });
      await fs.writeFile(file, source.replace('Victim toll', 'Victim count'));
      const index = await loadIndex(copy.indexDir, model());
      const plan = await planIndex(copy.corpusDir, DEFAULT_CHUNKING, DEFAULT_HNSW, index);
      expect(plan.chunkedArticles).toBe(1);
      // The reused chunks are exactly what chunking the article again would give.
      const fresh = await planIndex(copy.corpusDir);
      expect(fresh.chunkedArticles).toBe(2);
      expect(JSON.stringify(plan.store)).toBe(JSON.stringify(fresh.store));
    } finally {
      await copy.cleanup();
    }
  });

  it('names the fix when a file is damaged, missing, or from another model', async () => {
    const copy = await tempProject();
    try {
      await buildIndex({ corpusDir: copy.corpusDir, indexDir: copy.indexDir, embedder });
      await expect(loadIndex(copy.indexDir, { id: 'Xenova/all-MiniLM-L6-v2', hash: 'x' })).rejects.toThrow(/EMBEDDING_MODEL.*npm run build-index/);
      const manifest = JSON.parse(await fs.readFile(path.join(copy.indexDir, 'manifest.json'), 'utf8')) as { generation: string };
      const vectors = path.join(copy.indexDir, manifest.generation, 'vectors.bin');
      const bytes = await fs.readFile(vectors);
      bytes[10] = bytes[10]! ^ 0xff;
      await fs.writeFile(vectors, bytes);
      const damaged = await loadIndex(copy.indexDir, model()).catch((e: unknown) => e);
      expect(damaged).toBeInstanceOf(IndexError);
      expect((damaged as Error).message).toMatch(/vectors\.bin is damaged.*npm run build-index -- --full/);
      await fs.writeFile(path.join(copy.indexDir, 'manifest.json'), '{ not json');
      await expect(loadIndex(copy.indexDir, model())).rejects.toThrow(/manifest.*damaged/);
      await fs.rm(copy.indexDir, { recursive: true });
      await expect(loadIndex(copy.indexDir, model())).rejects.toThrow(/No index found.*npm run build-index/);
    } finally {
      await copy.cleanup();
    }
  });

  it('leaves the previous index loadable when a build is killed mid-way', async () => {
    const copy = await tempProject();
    try {
      await buildIndex({ corpusDir: copy.corpusDir, indexDir: copy.indexDir, embedder });
      const before = await loadIndex(copy.indexDir, model());
      // A corpus big enough that embedding takes seconds, so the kill lands mid-build.
      const source = await fs.readFile(path.join(copy.corpusDir, 'great-purge.txt'), 'utf8');
      for (let i = 0; i < 40; i++) await fs.writeFile(path.join(copy.corpusDir, `copy-${i}.txt`), source.replace('Great Purge', `Great Purge copy ${i}`));
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/build-index.ts'), '--corpus', copy.corpusDir, '--out', copy.indexDir], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Kill as soon as embedding has started.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        child.stderr.on('data', () => {
          if (/Embedding/.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const after = await loadIndex(copy.indexDir, model());
      expect(after.manifest.fingerprint).toBe(before.manifest.fingerprint);
    } finally {
      await copy.cleanup();
    }
  });
});
