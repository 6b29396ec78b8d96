/**
 * Sanity checks for the evaluation set in tests/eval/.
 *
 *   npx tsx tests/eval/validate.ts
 *
 * Verifies that every gold span occurs exactly once in corpus/great-purge.txt
 * (verbatim, within one paragraph), that it really lies in the section it is
 * labelled with, that ids are unique, that fields hold allowed values, and
 * prints counts per file / section / split / kind. Exits non-zero on any error.
 * Uses only Node built-ins.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const ARTICLE_PATH = resolve(ROOT, 'corpus/great-purge.txt');

/** Real headings of the article, in document order. */
const HEADINGS = [
  'Great Purge',
  'The Moscow Trials',
  'Purge of the army',
  'The wider purge',
  'National operations of NKVD',
  'End of Yezhovshchina',
  'Western reactions',
  'Victim toll',
  'Soviet Investigation Commissions',
  'Skepticism and denial',
  'Further reading and references',
  'External links',
] as const;
/** Sections without answerable content. */
const EMPTY_SECTIONS = new Set<string>(['External links']);

const KINDS = ['paraphrase', 'typo', 'chat', 'name', 'number', 'books'] as const;
const SPLITS = ['dev', 'test'] as const;

const MIN_QUESTIONS = 64;
const MIN_OFFTOPIC = 12;
const MIN_CONVERSATIONS = 8;
const MIN_PER_SECTION = 2;
const MIN_KIND: Partial<Record<(typeof KINDS)[number], number>> = { typo: 6, chat: 4, books: 2 };
const MIN_STANDALONE_TURNS = 2;
/** Test share must stay roughly one fifth. */
const TEST_SHARE_RANGE: [number, number] = [0.15, 0.3];
/** Gold length bounds (characters); outside => warning only. */
const GOLD_LEN_WARN: [number, number] = [12, 200];
/** A question sharing this many consecutive words with the article is copying it. */
const MAX_SHARED_WORDS = 6;

const errors: string[] = [];
const warnings: string[] = [];
const err = (m: string): void => void errors.push(m);
const warn = (m: string): void => void warnings.push(m);

const article = readFileSync(ARTICLE_PATH, 'utf8');

// --- locate headings ------------------------------------------------------
interface HeadingPos {
  name: string;
  offset: number;
}
const headingPos: HeadingPos[] = [];
{
  let offset = 0;
  for (const line of article.split('\n')) {
    const t = line.trim();
    if ((HEADINGS as readonly string[]).includes(t) && !headingPos.some((h) => h.name === t)) {
      headingPos.push({ name: t, offset });
    }
    offset += line.length + 1;
  }
  for (const h of HEADINGS) {
    if (!headingPos.some((p) => p.name === h)) err(`heading "${h}" not found as its own line in the article`);
  }
}
function sectionAt(offset: number): string | undefined {
  let cur: string | undefined;
  for (const h of headingPos) if (h.offset <= offset) cur = h.name;
  return cur;
}

function countOccurrences(hay: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}

// --- wording-overlap check --------------------------------------------------
const words = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
const articleWordStr = ` ${words(article).join(' ')} `;
function longestSharedRun(question: string): { len: number; run: string } {
  const w = words(question);
  let best = { len: 0, run: '' };
  for (let i = 0; i < w.length; i++) {
    for (let j = i + best.len + 1; j <= w.length; j++) {
      const run = w.slice(i, j).join(' ');
      if (articleWordStr.includes(` ${run} `)) best = { len: j - i, run };
      else break;
    }
  }
  return best;
}

// --- helpers ------------------------------------------------------------------
function loadJson(name: string): unknown {
  const p = resolve(HERE, name);
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as unknown;
  } catch (e) {
    err(`${name}: cannot read/parse: ${(e as Error).message}`);
    return [];
  }
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

const allIds = new Set<string>();
function checkId(where: string, id: unknown, prefix: string): string {
  const s = str(id);
  if (!s) {
    err(`${where}: missing id`);
    return '?';
  }
  if (!new RegExp(`^${prefix}\\d{2,}$`).test(s)) err(`${where}: id "${s}" should look like ${prefix}01`);
  if (allIds.has(s)) err(`${where}: duplicate id "${s}"`);
  allIds.add(s);
  return s;
}
function checkSplit(where: string, v: unknown): string {
  if (!(SPLITS as readonly unknown[]).includes(v)) err(`${where}: split must be dev|test, got ${JSON.stringify(v)}`);
  return String(v);
}

const sectionCounts = new Map<string, number>();
function checkGold(where: string, question: unknown, gold: unknown, section: unknown): void {
  const q = str(question);
  if (!q) err(`${where}: missing question`);
  const g = str(gold);
  const sec = str(section);
  if (!sec || !(HEADINGS as readonly string[]).includes(sec)) {
    err(`${where}: section ${JSON.stringify(section)} is not a real heading`);
  } else if (EMPTY_SECTIONS.has(sec)) {
    err(`${where}: section "${sec}" has no answerable content`);
  }
  if (!g) {
    err(`${where}: missing gold`);
    return;
  }
  if (/[\r\n]/.test(g)) err(`${where}: gold crosses a line/paragraph break`);
  const n = countOccurrences(article, g);
  if (n !== 1) err(`${where}: gold occurs ${n}x in the article (need exactly 1): "${g}"`);
  if (g !== g.trim()) warn(`${where}: gold has leading/trailing whitespace`);
  if (g.length < GOLD_LEN_WARN[0] || g.length > GOLD_LEN_WARN[1]) warn(`${where}: gold length ${g.length}`);
  if (n === 1 && sec) {
    const actual = sectionAt(article.indexOf(g));
    if (actual !== sec) err(`${where}: gold is in section "${actual}", labelled "${sec}"`);
  }
  if (sec) sectionCounts.set(sec, (sectionCounts.get(sec) ?? 0) + 1);
  if (q) {
    const { len, run } = longestSharedRun(q);
    if (len >= MAX_SHARED_WORDS) err(`${where}: question copies ${len} consecutive article words: "${run}"`);
  }
}

function tally<T extends string>(items: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}
function checkTestShare(file: string, splits: string[]): void {
  const test = splits.filter((s) => s === 'test').length;
  const share = splits.length ? test / splits.length : 0;
  if (share < TEST_SHARE_RANGE[0] || share > TEST_SHARE_RANGE[1]) {
    err(`${file}: test share ${(share * 100).toFixed(0)}% outside ${TEST_SHARE_RANGE[0] * 100}-${TEST_SHARE_RANGE[1] * 100}%`);
  }
}

// --- questions.json -------------------------------------------------------------
const questions = loadJson('questions.json');
const qSplits: string[] = [];
const qKinds: string[] = [];
const qSectionSplit = new Map<string, { dev: number; test: number }>();
if (!Array.isArray(questions)) err('questions.json: must be an array');
else {
  if (questions.length < MIN_QUESTIONS) err(`questions.json: ${questions.length} questions, need >= ${MIN_QUESTIONS}`);
  questions.forEach((q: unknown, i) => {
    const where = `questions.json[${i}]`;
    if (!isObj(q)) return err(`${where}: not an object`);
    const id = checkId(where, q.id, 'q');
    const w = `questions.json ${id}`;
    checkGold(w, q.question, q.gold, q.section);
    const split = checkSplit(w, q.split);
    qSplits.push(split);
    if (!(KINDS as readonly unknown[]).includes(q.kind)) err(`${w}: bad kind ${JSON.stringify(q.kind)}`);
    qKinds.push(String(q.kind));
    if (q.kind === 'books' && q.section !== 'Further reading and references') {
      err(`${w}: kind "books" must point to "Further reading and references"`);
    }
    const sec = String(q.section);
    const ss = qSectionSplit.get(sec) ?? { dev: 0, test: 0 };
    if (split === 'test') ss.test++;
    else ss.dev++;
    qSectionSplit.set(sec, ss);
  });
  const kindCounts = tally(qKinds);
  for (const [k, min] of Object.entries(MIN_KIND)) {
    if ((kindCounts[k] ?? 0) < (min ?? 0)) err(`questions.json: kind "${k}" has ${kindCounts[k] ?? 0}, need >= ${min}`);
  }
  for (const h of HEADINGS) {
    if (EMPTY_SECTIONS.has(h)) continue;
    const c = qSectionSplit.get(h);
    const total = c ? c.dev + c.test : 0;
    if (total < MIN_PER_SECTION) err(`questions.json: section "${h}" has ${total} questions, need >= ${MIN_PER_SECTION}`);
  }
  checkTestShare('questions.json', qSplits);
}
sectionCounts.clear(); // from here on, count conversation turns only

// --- offtopic.json -----------------------------------------------------------------
const offtopic = loadJson('offtopic.json');
const oSplits: string[] = [];
if (!Array.isArray(offtopic)) err('offtopic.json: must be an array');
else {
  if (offtopic.length < MIN_OFFTOPIC) err(`offtopic.json: ${offtopic.length} questions, need >= ${MIN_OFFTOPIC}`);
  offtopic.forEach((o: unknown, i) => {
    const where = `offtopic.json[${i}]`;
    if (!isObj(o)) return err(`${where}: not an object`);
    const id = checkId(where, o.id, 'o');
    if (!str(o.question)) err(`offtopic.json ${id}: missing question`);
    if ('gold' in o) err(`offtopic.json ${id}: off-topic questions must not have a gold span`);
    oSplits.push(checkSplit(`offtopic.json ${id}`, o.split));
  });
  checkTestShare('offtopic.json', oSplits);
}

// --- conversations.json -------------------------------------------------------------
const conversations = loadJson('conversations.json');
const cSplits: string[] = [];
let turnCount = 0;
let standaloneCount = 0;
if (!Array.isArray(conversations)) err('conversations.json: must be an array');
else {
  if (conversations.length < MIN_CONVERSATIONS) {
    err(`conversations.json: ${conversations.length} conversations, need >= ${MIN_CONVERSATIONS}`);
  }
  conversations.forEach((c: unknown, i) => {
    const where = `conversations.json[${i}]`;
    if (!isObj(c)) return err(`${where}: not an object`);
    const id = checkId(where, c.id, 'c');
    cSplits.push(checkSplit(`conversations.json ${id}`, c.split));
    const turns = c.turns;
    if (!Array.isArray(turns) || turns.length < 2 || turns.length > 3) {
      return err(`conversations.json ${id}: needs 2-3 turns`);
    }
    turns.forEach((t: unknown, j) => {
      const w = `conversations.json ${id} turn ${j + 1}`;
      if (!isObj(t)) return err(`${w}: not an object`);
      turnCount++;
      checkGold(w, t.question, t.gold, t.section);
      if ('standalone' in t) {
        if (t.standalone !== true) err(`${w}: "standalone" must be true when present`);
        if (j === 0) err(`${w}: first turn cannot be marked standalone`);
        standaloneCount++;
      }
    });
  });
  if (standaloneCount < MIN_STANDALONE_TURNS) {
    err(`conversations.json: ${standaloneCount} standalone follow-ups, need >= ${MIN_STANDALONE_TURNS}`);
  }
  checkTestShare('conversations.json', cSplits);
}

// --- report ----------------------------------------------------------------------
const fmt = (r: Record<string, number>): string =>
  Object.entries(r)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
console.log(`article: ${ARTICLE_PATH} (${article.length} chars)`);
console.log(`questions.json: ${qSplits.length} questions [${fmt(tally(qSplits))}]`);
console.log(`  kinds: ${fmt(tally(qKinds))}`);
console.log('  sections (dev/test):');
for (const h of HEADINGS) {
  const c = qSectionSplit.get(h);
  if (c) console.log(`    ${h.padEnd(34)} ${String(c.dev + c.test).padStart(3)}  (${c.dev}/${c.test})`);
}
console.log(`offtopic.json: ${oSplits.length} questions [${fmt(tally(oSplits))}]`);
console.log(
  `conversations.json: ${cSplits.length} conversations, ${turnCount} turns, ${standaloneCount} standalone [${fmt(tally(cSplits))}]`,
);
console.log(`  turn sections: ${fmt(Object.fromEntries(sectionCounts))}`);

for (const w of warnings) console.warn(`WARN  ${w}`);
for (const e of errors) console.error(`ERROR ${e}`);
if (errors.length) {
  console.error(`\n${errors.length} error(s)`);
  process.exitCode = 1;
} else {
  console.log('\nOK: all checks passed');
}
