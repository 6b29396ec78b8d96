/**
 * The SQLite backend: retention by queries, versioned schema, one-sentence refusals, and the one-time import of
 * the JSON files a bot had before.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/appError.ts';
import { openJsonFileStore } from '../../src/state/jsonFileStore.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/state/sqlite/migrations.ts';
import { openSqliteStore, type SqliteStoreOptions } from '../../src/state/sqlite/sqliteStore.ts';
import { captureLogger } from '../discord/harness.ts';
import { makeTempDir, removeDir } from '../helpers/tempProject.ts';

let dir: string;
const { logger, lines } = captureLogger();
const options = (extra: Partial<SqliteStoreOptions> = {}): SqliteStoreOptions => ({
  file: path.join(dir, 'state.sqlite'),
  dataDir: dir,
  limits: { conversations: 100, messages: 100, answers: 100, records: 100 },
  keepMs: 86_400_000,
  turns: 6,
  ...extra,
});
const answer = (question: string) => ({ question, history: [], skip: 0, shown: 1, chunkIds: ['a'], createdAt: 1 });

beforeEach(async () => {
  dir = await makeTempDir('sqlite');
});
afterEach(async () => {
  await removeDir(dir);
});

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('SQLite retention', () => {
  it('forgets the least recently used conversations, links and buttons beyond the limits, and the oldest records', async () => {
    const store = await openSqliteStore(options({ limits: { conversations: 2, messages: 2, answers: 2, records: 2 }, pruneEvery: 1 }), logger);
    await store.conversations.recordTurn('c1', { question: 'q' }, 'm1');
    await store.conversations.recordTurn('c2', { question: 'q' }, 'm2');
    await store.conversations.recordTurn('c1', { question: 'again' }, 'm3');
    await store.conversations.recordTurn('c3', { question: 'q' }, 'm4');
    expect(await store.conversations.has('c2')).toBe(false);
    expect(await store.conversations.history('c2')).toEqual([]);
    expect(await store.conversations.history('c1')).toEqual([{ question: 'q' }, { question: 'again' }]);
    expect(await store.conversations.ofMessage('m2')).toBeUndefined();
    expect(await store.conversations.ofMessage('m4')).toBe('c3');
    const keys: string[] = [];
    for (const q of ['a', 'b', 'c']) keys.push(await store.answers.save(answer(q)));
    expect(await store.answers.get(keys[0]!)).toBeUndefined();
    expect((await store.answers.get(keys[2]!))?.question).toBe('c');
    for (const q of ['1', '2', '3']) await store.unanswered.record({ time: 't', question: q, reason: 'abstained', sections: [], userHash: 'h' });
    expect((await store.unanswered.all()).records.map((r) => r.question)).toEqual(['2', '3']);
    await store.close();
  });

  it(`forgets what was not written for STATE_KEEP_DAYS`, async () => {
    const store = await openSqliteStore(options({ pruneEvery: 1 }), logger);
    const old = await store.answers.save(answer('old'));
    await store.close();
    // Ten years ago, as far as the file knows.
    const db = new Database(options().file);
    db.prepare('UPDATE answers SET touched_at = ?').run(Date.now() - 3650 * 86_400_000);
    db.close();
    const reopened = await openSqliteStore(options({ pruneEvery: 1 }), logger);
    const fresh = await reopened.answers.save(answer('new'));
    expect(await reopened.answers.get(old)).toBeUndefined();
    expect((await reopened.answers.get(fresh))?.question).toBe('new');
    await reopened.close();
  });
});

describe('SQLite schema and refusals', () => {
  it('creates a WAL-mode file at the latest schema version', async () => {
    const store = await openSqliteStore(options(), logger);
    await store.close();
    const db = new Database(options().file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses, in one sentence, a file written by a newer version', async () => {
    const db = new Database(options().file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const error = await failure(openSqliteStore(options(), logger));
    expect(isAppError(error, 'STATE_SCHEMA_NEWER')).toBe(true);
    expect(error.message).toMatch(/newer version of the bot.*STATE_URL/);
  });

  it('refuses, in one sentence naming STATE_URL, a file that is not a database or cannot be created', async () => {
    await fs.writeFile(options().file, 'this is not a database, just text that is long enough to be a header of some sort');
    const notDb = await failure(openSqliteStore(options(), logger));
    expect(isAppError(notDb, 'STATE_UNAVAILABLE')).toBe(true);
    expect(notDb.message).toMatch(/^Could not open the state database .*state\.sqlite \(it is not an SQLite database\)\. Point STATE_URL at/);
    expect(notDb.message.split('\n')).toHaveLength(1);

    await fs.writeFile(path.join(dir, 'a-file'), '');
    const cannot = await failure(openSqliteStore(options({ file: path.join(dir, 'a-file', 'state.sqlite') }), logger));
    expect(isAppError(cannot, 'STATE_UNAVAILABLE')).toBe(true);
    expect(cannot.message).toMatch(/STATE_URL/);
  });

  it('refuses to share the file with a live process on another host, and allows it once that one stopped', async () => {
    const elsewhere = await openSqliteStore(options({ host: 'other-host' }), logger);
    const error = await failure(openSqliteStore(options(), logger));
    expect(isAppError(error, 'STATE_NOT_SHAREABLE')).toBe(true);
    expect(error.message).toMatch(/another host \(other-host\).*redis:\/\//);
    await elsewhere.close();
    const here = await openSqliteStore(options(), logger);
    // Several processes on this host are fine (shards on one machine).
    const again = await openSqliteStore(options(), logger);
    await again.close();
    await here.close();
  });
});

describe('import of the old JSON files', () => {
  it('keeps every conversation, link, button, pending question and vote, once, and leaves the files as a backup', async () => {
    const old = await openJsonFileStore(dir, logger, { turns: 6 });
    const conversations = Array.from({ length: 40 }, (_, i) => `thread-${i}`);
    for (const [i, id] of conversations.entries()) {
      for (let t = 0; t <= i % 4; t++) await old.conversations.recordTurn(id, { question: `${id} q${t}`, searchedFor: `${id} s${t}`, names: [`Person ${t}`] }, `${id}-m${t}`);
    }
    const key = await old.answers.save(answer('kept?'));
    const pressed = await old.answers.save(answer('more pressed'));
    expect(await old.answers.claimMore(pressed)).toBe(true);
    const vote = (answerKey: string, userHash: string, v: 'up' | 'down') => ({ time: 't', answerKey, question: 'kept?', chunkIds: ['a'], vote: v, userHash });
    await old.feedback.record(vote(key, 'h', 'up'));
    await old.feedback.record(vote(key, 'h2', 'up'));
    await old.feedback.record(vote(key, 'h', 'down'));
    const pending = { kind: 'message' as const, key: 'message:1', acceptedAt: 1, channelId: 'c', guildId: 'g', messageId: '1' };
    await old.pending.add(pending);
    await old.close();
    // A vote from before votes had answer keys (a vote of its own), and a line cut by a crash: not imported, but still reported.
    await fs.appendFile(path.join(dir, 'feedback.jsonl'), '{"time":"t0","question":"older","chunkIds":[],"vote":"up","userHash":"h"}\n{"time":"t","quest');
    const before = await Promise.all(conversations.map((id) => old.conversations.history(id)));
    const files = (await fs.readdir(dir)).sort();

    const store = await openSqliteStore(options(), logger);
    const after = await Promise.all(conversations.map((id) => store.conversations.history(id)));
    expect(after).toEqual(before);
    expect(before.flat()).toHaveLength(100);
    expect(after[0]).toEqual([{ question: 'thread-0 q0', searchedFor: 'thread-0 s0', names: ['Person 0'] }]);
    for (const id of conversations) expect(await store.conversations.ofMessage(`${id}-m0`)).toBe(id);
    expect((await store.answers.get(key))?.question).toBe('kept?');
    expect(await store.answers.claimMore(pressed)).toBe(false);
    expect(await store.answers.claimMore(key)).toBe(true);
    expect(await store.pending.list()).toEqual([pending]);
    const { records, skipped } = await store.feedback.all();
    expect(records.map((r) => `${r.question}:${r.userHash}:${r.vote}`)).toEqual(['kept?:h2:up', 'kept?:h:down', 'older:h:up']);
    expect(skipped).toBe(1);
    expect(lines.find((l) => l.event === 'state_imported')).toMatchObject({ conversations: 40, messages: 100, answers: 2, pending: 1, votes: 4 });
    await store.close();

    // The files stay as they were; a second start does not import them again.
    expect((await fs.readdir(dir)).filter((f) => files.includes(f)).sort()).toEqual(files);
    const reopened = await openSqliteStore(options(), logger);
    expect((await reopened.feedback.all()).records).toHaveLength(3);
    await reopened.close();
  });

  it('brings a file of schema 1 up to date: its votes each stay a vote of their own', async () => {
    const file = options().file;
    const db = new Database(file);
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO meta (key, value) VALUES ('json_import', '{}')").run();
    const insert = db.prepare("INSERT INTO feedback (time, question, chunk_ids, vote, user_hash) VALUES ('t', ?, '[]', ?, 'h')");
    insert.run('first', 'up');
    insert.run('second', 'down');
    db.prepare("INSERT INTO conversations (id, touched_at) VALUES ('c', 1)").run();
    db.prepare("INSERT INTO turns (conversation_id, seq, question, searched_for) VALUES ('c', 1, 'q', NULL)").run();
    db.close();

    const store = await openSqliteStore(options(), logger);
    expect((await store.feedback.all()).records.map((r) => `${r.question}:${r.vote}`)).toEqual(['first:up', 'second:down']);
    expect(await store.conversations.history('c')).toEqual([{ question: 'q' }]);
    await store.conversations.recordTurn('c', { question: 'q2', names: ['Beria'] });
    expect(await store.conversations.history('c')).toEqual([{ question: 'q' }, { question: 'q2', names: ['Beria'] }]);
    await store.close();
    const upgraded = new Database(file);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    upgraded.close();
  });

  it('keeps the least recently used order, so the right conversations are pruned later', async () => {
    const old = await openJsonFileStore(dir, logger, { turns: 6 });
    for (const id of ['a', 'b', 'c']) await old.conversations.recordTurn(id, { question: id });
    await old.conversations.recordTurn('a', { question: 'a again' });
    await old.close();
    const store = await openSqliteStore(options({ limits: { conversations: 2, messages: 100, answers: 100, records: 100 }, pruneEvery: 1 }), logger);
    await store.conversations.recordTurn('d', { question: 'd' });
    expect(await store.conversations.has('b')).toBe(false);
    expect(await store.conversations.has('c')).toBe(false);
    expect(await store.conversations.has('a')).toBe(true);
    await store.close();
  });
});
