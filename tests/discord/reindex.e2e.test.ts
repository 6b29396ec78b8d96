/**
 * /reindex and live corpus changes, on private copies of corpus/ and index/: only managers may rebuild,
 * an edit shows up in the next answer, and a broken file leaves the previous index answering.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentOf, isCallback, isChannelPost, isOriginalEdit, newUser, startHarness, type Harness } from './harness.ts';
import { tempProject, type TempProject } from '../helpers/tempProject.ts';
import { ids, mentionMessage, slashCommand, type JsonObject } from './payloads.ts';

const EPHEMERAL = 64;
const ORIGINAL = 'Lavrenty Beria succeeded him as head of the NKVD.';
const EDITED = 'Lavrenty Beria, a fellow Georgian of Stalin, succeeded him as head of the NKVD.';

let h: Harness;
let dirs: TempProject;

beforeAll(async () => {
  dirs = await tempProject({ copyIndex: true });
  h = await startHarness({ env: { CORPUS_DIR: dirs.corpusDir, INDEX_DIR: dirs.indexDir, REPLY_MODE: 'reply', RATE_LIMIT_COUNT: '100' } });
});
afterAll(async () => {
  await h?.close();
  if (dirs) await dirs.cleanup();
});

/** Runs /reindex and returns the text of the (private) result. */
async function reindex(admin: boolean): Promise<{ text: string; flags: number }> {
  const interaction = slashCommand('reindex', {}, { user: newUser(), admin });
  const mark = h.fake.mark();
  h.fake.sendInteraction(interaction);
  const callback = await h.fake.waitForRequest(isCallback(interaction), mark);
  const body = callback.body as { type: number; data?: { flags?: number } };
  if (body.type !== 5) return { text: contentOf(callback), flags: Number(body.data?.flags ?? 0) };
  // The build can take a while with the real model; the deferred reply is edited when it is done.
  const edit = await h.fake.waitForRequest(isOriginalEdit(interaction.token), mark, 60_000);
  return { text: contentOf(edit), flags: Number(body.data?.flags ?? 0) };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what)), ms))]);
}

async function ask(question: string): Promise<string> {
  const mark = h.fake.mark();
  const message: JsonObject = mentionMessage(question, { author: newUser() });
  h.fake.sendUserMessage(message);
  const reply = await h.fake.waitForRequest(isChannelPost(ids.channel), mark, 30_000);
  return contentOf(reply);
}

describe('/reindex', () => {
  it('is refused, privately, for members without Manage Server', async () => {
    const result = await reindex(false);
    expect(result.flags).toBe(EPHEMERAL);
    expect(result.text).toMatch(/Manage Server/);
    expect(h.logs.some((l) => l.event === 'reindexed')).toBe(false);
  });

  it('rebuilds for a manager and replies with the build summary', async () => {
    const result = await reindex(true);
    expect(result.flags).toBe(EPHEMERAL);
    expect(result.text).toMatch(/\d+ article.*\d+ sections, \d+ chunks/);
  });

  it('picks up an edited sentence: the next answer quotes the new text', async () => {
    const file = path.join(dirs.corpusDir, 'great-purge.txt');
    const text = await fs.readFile(file, 'utf8');
    expect(text).toContain(ORIGINAL);
    await fs.writeFile(file, text.replace(ORIGINAL, EDITED));

    const rebuilt = reindex(true);
    // Asked while the rebuild runs: answered from the index in service, without an error.
    expect(await ask('Who headed the NKVD at the height of the purge?')).toMatch(/^> /m);
    expect((await rebuilt).text).toMatch(/Index rebuilt/);
    expect(await ask('Who succeeded Yezhov as head of the NKVD?')).toContain('a fellow Georgian of Stalin');
  });

  it('with the corpus watched, an edit is picked up by itself (no /reindex)', async () => {
    const file = path.join(dirs.corpusDir, 'great-purge.txt');
    const text = await fs.readFile(file, 'utf8');
    let swaps = 0;
    h.engine.onSwap(() => swaps++);
    h.engine.watchCorpus();
    // The watcher starts asynchronously and offers no "ready" signal: write until a swap shows it saw the edit.
    const edited = text.replace('This signalled the end of massive, overzealous purges.', 'This signalled the end of the massive purges of 1937–38.');
    for (let attempt = 0; swaps === 0; attempt++) {
      if (attempt === 20) throw new Error('no index swap after the corpus changed');
      await fs.writeFile(file, edited);
      await withTimeout(new Promise<void>((resolve) => h.engine.onSwap(() => resolve())), 1500, 'retry').catch(() => undefined);
    }
    expect(await ask('What signalled the end of the purges?')).toContain('the end of the massive purges of 1937–38');
  });

  it('a broken corpus file fails the rebuild with the reason; the previous index keeps answering', async () => {
    const broken = path.join(dirs.corpusDir, 'broken.txt');
    await fs.writeFile(broken, Buffer.from([0x47, 0x72, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a]));
    try {
      const result = await reindex(true);
      expect(result.text).toMatch(/^The rebuild failed: .+/);
      expect(result.text).toMatch(/previous index is still answering/);
      expect(await ask('Who succeeded Yezhov as head of the NKVD?')).toContain('a fellow Georgian of Stalin');
    } finally {
      await fs.rm(broken, { force: true });
    }
  });
});
