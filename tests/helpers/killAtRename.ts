/**
 * Preloaded into a child process (`node --import tsx --import ./tests/helpers/killAtRename.ts …`): the process kills
 * itself (SIGKILL, as a power cut or the OOM killer would) the moment it is about to rename something onto a name
 * matching KILL_AT_RENAME, to test what an interrupted build leaves behind at its worst moment.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const pattern = new RegExp(process.env.KILL_AT_RENAME ?? '(?!)');
const rename = fs.rename;
fs.rename = async (from, to) => {
  if (pattern.test(path.basename(String(to)))) process.kill(process.pid, 'SIGKILL');
  return rename(from, to);
};
