import path from 'node:path';
import Database from 'better-sqlite3';
import { STATE_TUNING } from '../../config/tuning.ts';
import { AppError } from '../../errors/appError.ts';
import { makeDir } from '../jsonFile.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';

export type Db = Database.Database;

const FIX = 'Point STATE_URL at a file the bot can write (sqlite:FILE; the default is state.sqlite in DATA_DIR), or fix the permissions.';

function unavailable(file: string, error: unknown): AppError {
  const code = (error as { code?: unknown }).code;
  const why = code === 'SQLITE_NOTADB' ? 'it is not an SQLite database' : error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new AppError('STATE_UNAVAILABLE', `Could not open the state database ${file} (${why})`, FIX, { cause: error });
}

/**
 * Opens (creating it when missing) the SQLite state file and brings its schema up to date. WAL mode: readers do not
 * block the writer, and a process killed mid-write leaves the last committed state (SQLite's journal). `synchronous
 * = NORMAL` loses nothing when the process dies, only possibly the last transactions if the machine loses power.
 */
export async function openDatabase(file: string): Promise<Db> {
  let db: Db | undefined;
  try {
    await makeDir(path.dirname(file));
    db = new Database(file, { timeout: STATE_TUNING.sqliteBusyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof AppError) throw error;
    throw unavailable(file, error);
  }
}

/** Applies the steps the file does not have yet; several processes may start at once, so each step re-checks inside its transaction. */
function migrate(db: Db, file: string): void {
  const version = () => Number(db.pragma('user_version', { simple: true }));
  if (version() > SCHEMA_VERSION) {
    throw new AppError(
      'STATE_SCHEMA_NEWER',
      `The state database ${file} was written by a newer version of the bot (schema ${version()}; this version knows ${SCHEMA_VERSION})`,
      'Update the bot, or point STATE_URL at another file.',
    );
  }
  MIGRATIONS.forEach((sql, i) => {
    const step = i + 1;
    db.transaction(() => {
      if (version() >= step) return;
      db.exec(sql);
      db.pragma(`user_version = ${step}`);
    }).immediate();
  });
}

/**
 * Milliseconds since the epoch, strictly increasing within this process: entries written in the same millisecond
 * keep their order, which retention uses to forget the least recently used first.
 */
export function createClock(): () => number {
  let last = 0;
  return () => (last = Math.max(Date.now(), last + 1));
}
