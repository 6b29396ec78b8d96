import fs from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config/config.ts';
import { loadEmbedder } from '../src/embeddings/loadEmbedder.ts';
import type { Embedder } from '../src/embeddings/types.ts';
import { buildIndex } from '../src/index/buildIndex.ts';
import { loadIndex } from '../src/index/loadIndex.ts';
import { checkIndex } from '../src/index/checkIndex.ts';
import { searchHnsw } from '../src/index/hnsw.ts';
import { IndexError } from '../src/index/indexError.ts';
import { GENERATION_FILES, MANIFEST_FILE } from '../src/index/layout.ts';
import { describeFile } from '../src/index/generation.ts';
import type { Manifest } from '../src/index/manifest.ts';
import { tempProject, type TempProject } from './helpers/tempProject.ts';

let embedder: Embedder;
let project: TempProject;
const model = () => ({ id: embedder.modelId, hash: embedder.modelHash });
const build = (p: TempProject, full = false) => buildIndex({ corpusDir: p.corpusDir, indexDir: p.indexDir, embedder, full });
const readManifestFile = async (p: TempProject) => JSON.parse(await fs.readFile(path.join(p.indexDir, MANIFEST_FILE), 'utf8')) as Manifest;

/** Chunk ids by label, read straight from the generation's database. */
async function labelsOf(p: TempProject): Promise<Map<string, number>> {
  const index = await loadIndex(p.indexDir, model());
  try {
    return new Map((index.db.prepare('SELECT id, label FROM chunks').all() as Array<{ id: string; label: number }>).map((r) => [r.id, r.label]));
  } finally {
    index.close();
  }
}

beforeAll(async () => {
  embedder = await loadEmbedder('bundled', {});
  project = await tempProject();
  await build(project);
});
afterAll(() => project.cleanup());

describe('index', () => {
  it('finds the chunk that contains a quoted sentence', async () => {
    const index = await loadIndex(project.indexDir, model());
    try {
      const sentence = 'Lavrenty Beria succeeded him as head of the NKVD.';
      const [best] = searchHnsw(index.hnsw, await embedder.embedQuery(sentence), 1, index.manifest.counts.chunks);
      const row = index.db.prepare('SELECT paragraph_text, start, end FROM chunk_records WHERE label = ?').get(best!.label) as { paragraph_text: string; start: number; end: number };
      expect(row.paragraph_text.slice(row.start, row.end)).toContain(sentence);
    } finally {
      index.close();
    }
  });

  it('is up to date right after a build, and a second build changes nothing', async () => {
    expect(await checkIndex(project.corpusDir, project.indexDir, embedder)).toEqual({ upToDate: true });
    const again = await build(project);
    expect(again).toMatchObject({ changed: false, embedded: 0, parsed: 0 });
  });

  it('re-embeds only the chunks of an edited paragraph, and updates the graph in place', async () => {
    const file = path.join(project.corpusDir, 'great-purge.txt');
    const original = await fs.readFile(file, 'utf8');
    const edited = original.replace("One of Russia's leading human rights groups", "One of Russia's best known human rights groups");
    expect(edited).not.toBe(original);
    const before = await labelsOf(project);
    await fs.writeFile(file, edited);
    expect((await checkIndex(project.corpusDir, project.indexDir, embedder)).upToDate).toBe(false);
    const summary = await build(project);
    expect(summary).toMatchObject({ changed: true, embedded: 1, removed: 1, parsed: 1 });
    expect(summary.reused).toBe(summary.chunks - 1);
    // Every unchanged chunk kept its label (its point in the graph); the edited one got a new one.
    const after = await labelsOf(project);
    const kept = [...after].filter(([id, label]) => before.get(id) === label);
    expect(kept.length).toBe(summary.chunks - 1);
    expect(await checkIndex(project.corpusDir, project.indexDir, embedder)).toEqual({ upToDate: true });
    await fs.writeFile(file, original);
    await build(project);
  });

  it('chunks articles in a worker thread to the very same index files as on its own thread', async () => {
    const copy = await tempProject();
    try {
      const source = await fs.readFile(path.join(copy.corpusDir, 'great-purge.txt'), 'utf8');
      await fs.writeFile(path.join(copy.corpusDir, 'second.txt'), source.replace('Great Purge', 'Second Purge'));
      const files = async () => {
        const manifest = await readManifestFile(copy);
        return { generation: manifest.generation, files: manifest.files };
      };
      const here = await buildIndex({ corpusDir: copy.corpusDir, indexDir: copy.indexDir, embedder, full: true, chunkInWorker: false });
      const onThisThread = await files();
      const inWorker = await buildIndex({ corpusDir: copy.corpusDir, indexDir: copy.indexDir, embedder, full: true, chunkInWorker: true });
      expect(inWorker).toMatchObject({ chunks: here.chunks, parsed: 2 });
      expect(await files()).toEqual(onThisThread);
    } finally {
      await copy.cleanup();
    }
  });

  it('parses only the articles whose text changed, and stores what a fresh build would', async () => {
    const copy = await tempProject();
    try {
      const file = path.join(copy.corpusDir, 'great-purge.txt');
      const source = await fs.readFile(file, 'utf8');
      await fs.writeFile(path.join(copy.corpusDir, 'second.txt'), source.replace('Great Purge', 'Second Purge'));
      expect((await build(copy)).parsed).toBe(2);
      await fs.writeFile(file, source.replace('Victim toll', 'Victim count'));
      expect((await build(copy)).parsed).toBe(1);
      // --check chunks everything afresh: the incremental result is exactly what a full build stores.
      expect(await checkIndex(copy.corpusDir, copy.indexDir, embedder)).toEqual({ upToDate: true });
      await fs.rm(path.join(copy.corpusDir, 'second.txt'));
      const removed = await build(copy);
      expect(removed).toMatchObject({ articles: 1, parsed: 0 });
      expect(await checkIndex(copy.corpusDir, copy.indexDir, embedder)).toEqual({ upToDate: true });
    } finally {
      await copy.cleanup();
    }
  });

  it('gives every word the vector a full build gives it, after words are added and removed incrementally', async () => {
    const copy = await tempProject();
    const fresh = await tempProject();
    try {
      const file = path.join(copy.corpusDir, 'great-purge.txt');
      const source = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, `${source}\n\nA volcano erupted near the lighthouse.\n`);
      await build(copy);
      // "volcano" stays, "lighthouse" goes (its id is left unused), "glacier" comes.
      await fs.writeFile(file, `${source}\n\nA volcano erupted near the glacier.\n`);
      await build(copy);
      await fs.writeFile(path.join(fresh.corpusDir, 'great-purge.txt'), await fs.readFile(file, 'utf8'));
      await build(fresh, true);
      const vectorsByWord = async (p: TempProject) => {
        const index = await loadIndex(p.indexDir, model());
        try {
          const { words, vectors, dimensions } = index.vocabulary;
          return new Map(words.flatMap((w, id) => (w ? [[w, Array.from(vectors.subarray(id * dimensions, (id + 1) * dimensions))] as const] : [])));
        } finally {
          index.close();
        }
      };
      const incremental = await vectorsByWord(copy);
      expect(incremental.has('lighthouse')).toBe(false);
      expect(incremental.get('glacier')).toEqual(Array.from((await embedder.embedPassages(['glacier']))[0]!));
      expect(incremental).toEqual(await vectorsByWord(fresh));
    } finally {
      await copy.cleanup();
      await fresh.cleanup();
    }
  });

  it('names the fix when a file is damaged, missing, foreign, of an old format, or from another model', async () => {
    const copy = await tempProject();
    const other = await tempProject();
    try {
      await build(copy);
      await expect(loadIndex(copy.indexDir, { id: 'Xenova/all-MiniLM-L6-v2', hash: 'x' })).rejects.toThrow(/EMBEDDING_MODEL.*npm run build-index/);
      const manifest = await readManifestFile(copy);
      const dbFile = path.join(copy.indexDir, manifest.generation, GENERATION_FILES.database);
      const pristine = await fs.readFile(dbFile);
      const bytes = Buffer.from(pristine);
      bytes[5000] = bytes[5000]! ^ 0xff;
      await fs.writeFile(dbFile, bytes);
      const damaged = await loadIndex(copy.indexDir, model()).catch((e: unknown) => e);
      expect(damaged).toBeInstanceOf(IndexError);
      expect((damaged as Error).message).toMatch(/index\.db is damaged.*npm run build-index -- --full/);

      // A database from another corpus, with a manifest whose checksums were made to match it.
      await fs.writeFile(path.join(other.corpusDir, 'great-purge.txt'), `${await fs.readFile(path.join(copy.corpusDir, 'great-purge.txt'), 'utf8')}\n\nOne more paragraph.\n`);
      await build(other);
      const otherManifest = await readManifestFile(other);
      await fs.copyFile(path.join(other.indexDir, otherManifest.generation, GENERATION_FILES.database), dbFile);
      const files = await Promise.all(manifest.files.map((f) => describeFile(path.join(copy.indexDir, manifest.generation, f.name), f.name, { sync: false })));
      await fs.writeFile(path.join(copy.indexDir, MANIFEST_FILE), JSON.stringify({ ...manifest, files }));
      await expect(loadIndex(copy.indexDir, model())).rejects.toThrow(/does not belong to this index.*--full/);

      await fs.writeFile(path.join(copy.indexDir, MANIFEST_FILE), JSON.stringify({ ...manifest, formatVersion: 1 }));
      await expect(loadIndex(copy.indexDir, model())).rejects.toThrow(/format 1, this version reads format 3.*npm run build-index -- --full/);
      await fs.writeFile(path.join(copy.indexDir, MANIFEST_FILE), '{ not json');
      await expect(loadIndex(copy.indexDir, model())).rejects.toThrow(/manifest.*damaged/);
      await fs.rm(copy.indexDir, { recursive: true });
      await expect(loadIndex(copy.indexDir, model())).rejects.toThrow(/No index found.*npm run build-index/);
    } finally {
      await copy.cleanup();
      await other.cleanup();
    }
  });

  it('never removes the generation the manifest names, and cleans what killed builds left', async () => {
    const copy = await tempProject();
    try {
      await build(copy);
      const first = await readManifestFile(copy);
      // A full build of an unchanged corpus writes the same files, so the same generation: it must survive untouched.
      const summary = await build(copy, true);
      expect(summary.changed).toBe(true);
      const second = await readManifestFile(copy);
      expect(second.generation).toBe(first.generation);
      await fs.mkdir(path.join(copy.indexDir, '.tmp-999999999-1'));
      await fs.writeFile(path.join(copy.indexDir, `${MANIFEST_FILE}.tmp-999999999`), '{}');
      await build(copy, true);
      expect((await fs.readdir(copy.indexDir)).sort()).toEqual([first.generation, MANIFEST_FILE].sort());
      expect((await loadIndex(copy.indexDir, model())).manifest.generation).toBe(first.generation);
    } finally {
      await copy.cleanup();
    }
  });

  it('leaves the previous index loadable when a build is killed mid-way', async () => {
    const copy = await tempProject();
    try {
      await build(copy);
      const before = await loadIndex(copy.indexDir, model());
      before.close();
      // A corpus big enough that indexing takes seconds, so the kill lands mid-build.
      const source = await fs.readFile(path.join(copy.corpusDir, 'great-purge.txt'), 'utf8');
      for (let i = 0; i < 40; i++) await fs.writeFile(path.join(copy.corpusDir, `copy-${i}.txt`), source.replace('Great Purge', `Great Purge copy ${i}`));
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/build-index.ts'), '--corpus', copy.corpusDir, '--out', copy.indexDir], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Kill as soon as indexing has started.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 15_000);
        child.stderr.on('data', () => {
          if (/Indexing/.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const after = await loadIndex(copy.indexDir, model());
      expect(after.manifest.fingerprint).toBe(before.manifest.fingerprint);
      after.close();
    } finally {
      await copy.cleanup();
    }
  });
});
