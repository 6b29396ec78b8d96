/**
 * Consistency checks for the evaluation set in tests/eval/{dev,test}/ against corpus/great-purge.txt.
 *
 *   npx tsx tests/eval/validate.ts
 *
 * Checks, for both splits:
 *   - every answer span occurs exactly once in the article, inside one paragraph, under the heading it names;
 *   - section names are real headings (and not the empty "External links");
 *   - ids are unique across both splits (q…, o…, c…) and test holds only new items (ids above the old ranges);
 *   - style / asks / kind hold allowed values; conversations have 2–4 turns, every turn has answers;
 *   - minimum counts (in total and per split), near-miss share per split, style shares per split,
 *     every section with content present in each split, every paragraph answered somewhere;
 *   - test share per file between 28 % and 40 %;
 *   - no question copies 6 or more consecutive words of the article; no question is asked twice, nor in both splits;
 *   - no test question re-asks a dev question (same `asks`, answer spans overlapping by half or more).
 * When tests/eval/holdout/ exists (the held-out set written after the test split was reported), also checks it:
 *   - the same per-item checks (spans, sections, style / asks / kind, 2–4 turns, answers on every turn, no copying);
 *   - ids h… / x… / k…, unique across all three folders; no question asked twice, nor also in dev or test;
 *   - no holdout question re-asks a dev or test question (the same re-ask check as for test);
 *   - at least 80 questions, 30 off-topic questions (>= 50 % near-misses) and 10 conversations, typo / chat / keyword
 *     each >= 10 % of the questions, every section with content present, at least one standalone turn.
 *   Holdout is outside the dev/test rules: it is not part of the test share, and its answers do not count towards
 *   "every paragraph answered" or the per-split coverage of dev and test.
 * When tests/eval/fresh/ exists (a second held-out set, written after the holdout was reported), checks it the same way:
 *   - the same per-item checks as for holdout;
 *   - ids f… / y… / m…, unique across all four folders; no question asked twice, nor also in dev, test or holdout;
 *   - no fresh question re-asks a dev, test or holdout question (same `asks`, answer spans overlapping by half or more);
 *   - at least 90 questions, 44 off-topic questions (>= 60 % near-misses) and 14 conversations, typo / chat / keyword
 *     each >= 10 % of the questions, every section with content present, at least one standalone turn.
 *   Like holdout, it is outside the dev/test share and coverage rules.
 * Prints counts per split (and per held-out set), section, style, asks and off-topic kind, then "OK: all checks passed" (exit 0)
 * or the errors (exit 1). Uses only Node built-ins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const ARTICLE_PATH = resolve(ROOT, 'corpus/great-purge.txt');

// --- the rules ----------------------------------------------------------------------------------------

/** Real headings of the article, in document order. The lead is "Great Purge". */
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
];
/** Sections without answerable content (External links holds only the licence line). */
const EMPTY_SECTIONS = new Set(['External links']);
/** Lines that are not paragraphs a question could be about. */
const NOT_A_PARAGRAPH = [/^Main article:/];

const SPLITS = ['dev', 'test'] as const;
type Split = (typeof SPLITS)[number];
/** The held-out sets, each checked on its own when its folder exists. */
const HOLDOUT = 'holdout';
const FRESH = 'fresh';
type HeldOut = typeof HOLDOUT | typeof FRESH;
type AnySplit = Split | HeldOut;
type Prefix = 'q' | 'o' | 'c' | 'h' | 'x' | 'k' | 'f' | 'y' | 'm';
const STYLES = ['paraphrase', 'typo', 'chat', 'keyword', 'name'];
const ASKS = ['person', 'organisation', 'place', 'date', 'number', 'title', 'reason', 'definition', 'yesno', 'event', 'method', 'other'];
const KINDS = ['unrelated', 'near-miss'];

const MIN_COUNT = {
  questions: { total: 290, dev: 180, test: 82 },
  offtopic: { total: 75, dev: 45, test: 21 },
  conversations: { total: 36, dev: 22, test: 10 },
} as const;
type FileName = keyof typeof MIN_COUNT;
const FILES = Object.keys(MIN_COUNT) as FileName[];

/** Share of each file's items that must be in test. */
const TEST_SHARE: [number, number] = [0.28, 0.4];
/** At least this share of off-topic questions must be near-misses, in each split. */
const MIN_NEAR_MISS_SHARE = 0.5;
/** Minimum share of each style among a split's answerable questions. */
const MIN_STYLE_SHARE: Record<string, number> = { paraphrase: 0.3, typo: 0.08, chat: 0.08, keyword: 0.04, name: 0.12 };
/** Minimum number of answerable questions per section with content, in each split. */
const MIN_PER_SECTION_PER_SPLIT = 1;
/** Minimum number of standalone (topic-changing) turns per split. */
const MIN_STANDALONE_PER_SPLIT = 1;
/** Ids up to these numbers are the old items (seen by the tuners): they must all be in dev. */
const OLD_MAX_ID: Record<string, number> = { q: 92, o: 30, c: 11 };
/** Answer span length (characters) outside this range => warning only. */
const SPAN_LEN_WARN: [number, number] = [12, 200];
/** A question sharing this many consecutive words with the article is copying it. */
const MAX_SHARED_WORDS = 6;

/** Holdout: id prefixes, minimum counts and shares. */
const HOLDOUT_PREFIX = { questions: 'h', offtopic: 'x', conversations: 'k' } as const;
const HOLDOUT_MIN_COUNT = { questions: 80, offtopic: 30, conversations: 10 } as const;
const HOLDOUT_MIN_STYLE_SHARE: Record<string, number> = { typo: 0.1, chat: 0.1, keyword: 0.1 };
const HOLDOUT_MIN_STANDALONE = 1;
const HOLDOUT_MIN_NEAR_MISS_SHARE = MIN_NEAR_MISS_SHARE;

/** Fresh (the second held-out set, written after the holdout was reported): id prefixes, minimum counts and shares. */
const FRESH_PREFIX = { questions: 'f', offtopic: 'y', conversations: 'm' } as const;
const FRESH_MIN_COUNT = { questions: 90, offtopic: 44, conversations: 14 } as const;
const FRESH_MIN_STYLE_SHARE: Record<string, number> = { typo: 0.1, chat: 0.1, keyword: 0.1 };
const FRESH_MIN_STANDALONE = 1;
const FRESH_MIN_NEAR_MISS_SHARE = 0.6;

// --- bookkeeping --------------------------------------------------------------------------------------

const errors: string[] = [];
const warnings: string[] = [];
const err = (m: string): void => void errors.push(m);
const warn = (m: string): void => void warnings.push(m);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** counter[key][split] (dev/test tallies and each held-out set's tallies are kept apart, so a total is dev + test, or one held-out set). */
class Tally {
  private readonly counts = new Map<string, Record<AnySplit, number>>();
  add(key: string, split: AnySplit): void {
    const c = this.counts.get(key) ?? { dev: 0, test: 0, holdout: 0, fresh: 0 };
    c[split]++;
    this.counts.set(key, c);
  }
  get(key: string, split?: AnySplit): number {
    const c = this.counts.get(key);
    if (!c) return 0;
    return split ? c[split] : c.dev + c.test + c.holdout + c.fresh;
  }
  keys(order?: readonly string[]): string[] {
    const own = [...this.counts.keys()];
    return order ? [...order.filter((k) => this.counts.has(k)), ...own.filter((k) => !order.includes(k))] : own.sort();
  }
}

// --- the article --------------------------------------------------------------------------------------

const article = readFileSync(ARTICLE_PATH, 'utf8');

interface Paragraph {
  start: number;
  end: number;
  section: string;
  text: string;
}
/** Headings (first line equal to each heading name) and paragraphs (every other non-empty line after the first heading). */
const headingAt: Array<{ name: string; offset: number }> = [];
const paragraphs: Paragraph[] = [];
{
  let offset = 0;
  for (const line of article.split('\n')) {
    const t = line.trim();
    if (HEADINGS.includes(t) && !headingAt.some((h) => h.name === t)) headingAt.push({ name: t, offset });
    else if (t && headingAt.length) {
      paragraphs.push({ start: offset, end: offset + line.length, section: headingAt[headingAt.length - 1]!.name, text: t });
    }
    offset += line.length + 1;
  }
  for (const h of HEADINGS) if (!headingAt.some((p) => p.name === h)) err(`heading "${h}" not found as its own line in the article`);
}
const sectionAt = (offset: number): string | undefined => headingAt.filter((h) => h.offset <= offset).pop()?.name;
const contentSections = HEADINGS.filter((h) => !EMPTY_SECTIONS.has(h));
const coverableParagraphs = paragraphs.filter((p) => !EMPTY_SECTIONS.has(p.section) && !NOT_A_PARAGRAPH.some((re) => re.test(p.text)));
const coveredParagraphs = new Set<Paragraph>();

function occurrences(needle: string): number[] {
  const at: number[] = [];
  for (let i = article.indexOf(needle); i !== -1; i = article.indexOf(needle, i + 1)) at.push(i);
  return at;
}

// --- copying check ------------------------------------------------------------------------------------

const words = (s: string): string[] =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
const articleWords = ` ${words(article).join(' ')} `;
/** Longest run of consecutive question words that also occurs in the article. */
function longestSharedRun(question: string): { len: number; run: string } {
  const w = words(question);
  let best = { len: 0, run: '' };
  for (let i = 0; i < w.length; i++) {
    for (let j = i + best.len + 1; j <= w.length; j++) {
      const run = w.slice(i, j).join(' ');
      if (!articleWords.includes(` ${run} `)) break;
      best = { len: j - i, run };
    }
  }
  return best;
}

/** Normalised question text -> where it was first asked, and in which split. */
const seenQuestions = new Map<string, { where: string; split: AnySplit; standalone: boolean }>();
/**
 * Checks a question's wording. `standalone` questions (questions.json, offtopic.json) must be unique across all
 * folders; a conversation's opening turn may repeat a question of its own split, never one of the other split.
 * Later turns ("why not?") are not compared.
 */
function checkQuestionText(where: string, q: unknown, split: AnySplit, kind: 'standalone' | 'opening' | 'follow-up'): void {
  const text = str(q);
  if (!text) return err(`${where}: missing question`);
  const { len, run } = longestSharedRun(text);
  if (len >= MAX_SHARED_WORDS) err(`${where}: question copies ${len} consecutive article words: "${run}"`);
  if (kind === 'follow-up') return;
  const key = words(text).join(' ');
  const first = seenQuestions.get(key);
  if (!first) {
    seenQuestions.set(key, { where, split, standalone: kind === 'standalone' });
  } else if (first.split !== split) {
    const heldOut = (s: AnySplit): boolean => s === HOLDOUT || s === FRESH;
    const other = heldOut(first.split) || heldOut(split) ? `in ${first.split}/` : 'in the other split';
    err(`${where}: same question as ${first.where} ${other}: "${text}"`);
  } else if (first.standalone && kind === 'standalone') {
    err(`${where}: same question as ${first.where}: "${text}"`);
  }
}

// --- ids ----------------------------------------------------------------------------------------------

const allIds = new Set<string>();
function checkId(where: string, id: unknown, prefix: Prefix, split: AnySplit): string {
  const s = str(id);
  if (!s) {
    err(`${where}: missing id`);
    return where;
  }
  const m = new RegExp(`^${prefix}(\\d{3,})$`).exec(s);
  if (!m) err(`${where}: id "${s}" should look like ${prefix}001`);
  else if (split === 'test' && Number(m[1]) <= OLD_MAX_ID[prefix]!) {
    err(`${where}: id "${s}" is an old item (${prefix}001-${prefix}${String(OLD_MAX_ID[prefix]).padStart(3, '0')}); test holds new items only`);
  }
  if (allIds.has(s)) err(`${where}: duplicate id "${s}"`);
  allIds.add(s);
  return s;
}

// --- answer spans -------------------------------------------------------------------------------------

/**
 * Checks an answers array; returns the sections it names (first one first). `cover`: the answered paragraphs count
 * towards "every paragraph answered" (dev and test only).
 */
function checkAnswers(where: string, answers: unknown, cover = true): string[] {
  if (!Array.isArray(answers) || answers.length === 0) {
    err(`${where}: needs a non-empty "answers" array`);
    return [];
  }
  const sections: string[] = [];
  const texts = new Set<string>();
  answers.forEach((a: unknown, k) => {
    const w = `${where} answer ${k + 1}`;
    if (!isObj(a)) return err(`${w}: not an object`);
    const text = str(a.text);
    const section = str(a.section);
    if (!section || !HEADINGS.includes(section)) err(`${w}: section ${JSON.stringify(a.section)} is not a real heading`);
    else if (EMPTY_SECTIONS.has(section)) err(`${w}: section "${section}" has no answerable content`);
    if (!text) return err(`${w}: missing text`);
    if (texts.has(text)) err(`${w}: same span listed twice`);
    texts.add(text);
    if (text !== text.trim()) warn(`${w}: span has leading/trailing whitespace`);
    if (text.length < SPAN_LEN_WARN[0] || text.length > SPAN_LEN_WARN[1]) warn(`${w}: span length ${text.length}: "${text}"`);
    if (/[\r\n]/.test(text)) return err(`${w}: span crosses a paragraph break`);
    const at = occurrences(text);
    if (at.length !== 1) return err(`${w}: span occurs ${at.length}x in the article (need exactly 1): "${text}"`);
    const start = at[0]!;
    const para = paragraphs.find((p) => p.start <= start && start + text.length <= p.end);
    if (!para) return err(`${w}: span is not inside one paragraph: "${text}"`);
    if (cover) coveredParagraphs.add(para);
    const actual = sectionAt(start);
    if (section && actual !== section) err(`${w}: span is in section "${actual}", labelled "${section}"`);
    if (section) sections.push(section);
  });
  return sections;
}

function loadArray(split: AnySplit, file: FileName): unknown[] {
  const name = `${split}/${file}.json`;
  try {
    const data = JSON.parse(readFileSync(resolve(HERE, name), 'utf8')) as unknown;
    if (Array.isArray(data)) return data;
    err(`${name}: must be an array`);
  } catch (e) {
    err(`${name}: cannot read/parse: ${(e as Error).message}`);
  }
  return [];
}

// --- the files ----------------------------------------------------------------------------------------

const count: Record<FileName, Record<Split, number>> = {
  questions: { dev: 0, test: 0 },
  offtopic: { dev: 0, test: 0 },
  conversations: { dev: 0, test: 0 },
};
const qSection = new Tally();
const qStyle = new Tally();
const qAsks = new Tally();
const oKind = new Tally();
const turnSection = new Tally();
const turns = { dev: 0, test: 0 };
/** Answer ranges of each answerable question, to find near-duplicates across the splits. */
const questionRanges: Array<{ where: string; split: AnySplit; asks: string; ranges: Array<[number, number]> }> = [];
/** The answer ranges of a questions.json item (spans that occur exactly once). */
function answerRanges(answers: unknown[]): Array<[number, number]> {
  return answers.flatMap((a: unknown): Array<[number, number]> => {
    const text = isObj(a) ? str(a.text) : undefined;
    const at = text ? occurrences(text) : [];
    return text && at.length === 1 ? [[at[0]!, at[0]! + text.length]] : [];
  });
}
const standalone = { dev: 0, test: 0 };

/** What the files of one split hold, counted while they are checked. */
interface SplitCounts {
  items: Record<FileName, number>;
  turns: number;
  standalone: number;
}

/** Where a split's items are tallied (the tallies are kept per split). */
interface SplitTallies {
  section: Tally;
  style: Tally;
  asks: Tally;
  kind: Tally;
  turnSection: Tally;
}

/**
 * Checks every item of a split's three files by the per-item rules. `prefix`: the id prefix of each file;
 * `cover`: whether its answers count towards "every paragraph answered".
 */
function checkSplit(split: AnySplit, prefix: Record<FileName, Prefix>, tally: SplitTallies, cover: boolean): SplitCounts {
  const counts: SplitCounts = { items: { questions: 0, offtopic: 0, conversations: 0 }, turns: 0, standalone: 0 };
  // questions.json
  for (const [i, q] of loadArray(split, 'questions').entries()) {
    const where0 = `${split}/questions.json[${i}]`;
    if (!isObj(q)) {
      err(`${where0}: not an object`);
      continue;
    }
    const where = `${split}/questions.json ${checkId(where0, q.id, prefix.questions, split)}`;
    counts.items.questions++;
    checkQuestionText(where, q.question, split, 'standalone');
    const sections = checkAnswers(where, q.answers, cover);
    if (sections[0]) tally.section.add(sections[0], split);
    if (Array.isArray(q.answers) && typeof q.asks === 'string') {
      questionRanges.push({ where, split, asks: q.asks, ranges: answerRanges(q.answers) });
    }
    if (typeof q.style !== 'string' || !STYLES.includes(q.style)) err(`${where}: style must be one of ${STYLES.join('|')}, got ${JSON.stringify(q.style)}`);
    else tally.style.add(q.style, split);
    if (typeof q.asks !== 'string' || !ASKS.includes(q.asks)) err(`${where}: asks must be one of ${ASKS.join('|')}, got ${JSON.stringify(q.asks)}`);
    else tally.asks.add(q.asks, split);
  }

  // offtopic.json
  for (const [i, o] of loadArray(split, 'offtopic').entries()) {
    const where0 = `${split}/offtopic.json[${i}]`;
    if (!isObj(o)) {
      err(`${where0}: not an object`);
      continue;
    }
    const where = `${split}/offtopic.json ${checkId(where0, o.id, prefix.offtopic, split)}`;
    counts.items.offtopic++;
    checkQuestionText(where, o.question, split, 'standalone');
    if ('answers' in o || 'gold' in o) err(`${where}: off-topic questions have no answer spans`);
    if (typeof o.kind !== 'string' || !KINDS.includes(o.kind)) err(`${where}: kind must be one of ${KINDS.join('|')}, got ${JSON.stringify(o.kind)}`);
    else tally.kind.add(o.kind, split);
  }

  // conversations.json
  for (const [i, c] of loadArray(split, 'conversations').entries()) {
    const where0 = `${split}/conversations.json[${i}]`;
    if (!isObj(c)) {
      err(`${where0}: not an object`);
      continue;
    }
    const where = `${split}/conversations.json ${checkId(where0, c.id, prefix.conversations, split)}`;
    counts.items.conversations++;
    if (!Array.isArray(c.turns) || c.turns.length < 2 || c.turns.length > 4) {
      err(`${where}: needs 2-4 turns`);
      continue;
    }
    c.turns.forEach((t: unknown, j) => {
      const w = `${where} turn ${j + 1}`;
      if (!isObj(t)) return err(`${w}: not an object`);
      counts.turns++;
      checkQuestionText(w, t.question, split, j === 0 ? 'opening' : 'follow-up');
      const sections = checkAnswers(w, t.answers, cover);
      if (sections[0]) tally.turnSection.add(sections[0], split);
      if ('standalone' in t) {
        if (t.standalone !== true) err(`${w}: "standalone" must be true when present`);
        if (j === 0) err(`${w}: the first turn cannot be marked standalone`);
        counts.standalone++;
      }
    });
  }
  return counts;
}

const SPLIT_PREFIX = { questions: 'q', offtopic: 'o', conversations: 'c' } as const;
for (const split of SPLITS) {
  const counts = checkSplit(split, SPLIT_PREFIX, { section: qSection, style: qStyle, asks: qAsks, kind: oKind, turnSection }, true);
  for (const file of FILES) count[file][split] = counts.items[file];
  turns[split] = counts.turns;
  standalone[split] = counts.standalone;
}

// --- totals and shares --------------------------------------------------------------------------------

for (const file of FILES) {
  const c = count[file];
  const total = c.dev + c.test;
  const min = MIN_COUNT[file];
  if (total < min.total) err(`${file}.json: ${total} items in total, need >= ${min.total}`);
  for (const split of SPLITS) if (c[split] < min[split]) err(`${split}/${file}.json: ${c[split]} items, need >= ${min[split]}`);
  const share = total ? c.test / total : 0;
  if (share < TEST_SHARE[0] || share > TEST_SHARE[1]) {
    err(`${file}.json: test share ${pct(share)} outside ${pct(TEST_SHARE[0])}-${pct(TEST_SHARE[1])}`);
  }
}
for (const split of SPLITS) {
  const n = count.offtopic[split];
  const share = n ? oKind.get('near-miss', split) / n : 0;
  if (share < MIN_NEAR_MISS_SHARE) err(`${split}/offtopic.json: near-miss share ${pct(share)}, need >= ${pct(MIN_NEAR_MISS_SHARE)}`);
  for (const [style, min] of Object.entries(MIN_STYLE_SHARE)) {
    const s = count.questions[split] ? qStyle.get(style, split) / count.questions[split] : 0;
    if (s < min) err(`${split}/questions.json: style "${style}" is ${pct(s)} of the questions, need >= ${pct(min)}`);
  }
  for (const h of contentSections) {
    if (qSection.get(h, split) < MIN_PER_SECTION_PER_SPLIT) err(`${split}/questions.json: no question answered in section "${h}"`);
  }
  if (standalone[split] < MIN_STANDALONE_PER_SPLIT) err(`${split}/conversations.json: ${standalone[split]} standalone turns, need >= ${MIN_STANDALONE_PER_SPLIT}`);
}
/** Spans overlapping by at least half of the shorter one. */
const overlapping = (a: Array<[number, number]>, b: Array<[number, number]>): boolean =>
  a.some(([s1, e1]) => b.some(([s2, e2]) => Math.min(e1, e2) - Math.max(s1, s2) >= 0.5 * Math.min(e1 - s1, e2 - s2)));
for (const t of questionRanges.filter((q) => q.split === 'test')) {
  const twin = questionRanges.find((d) => d.split === 'dev' && d.asks === t.asks && overlapping(d.ranges, t.ranges));
  if (twin) err(`${t.where}: re-asks ${twin.where} (same answer type, overlapping answer span); near-duplicates belong in one split`);
}
for (const p of coverableParagraphs) {
  if (!coveredParagraphs.has(p)) err(`paragraph in "${p.section}" is not the answer to any question or turn: "${p.text.slice(0, 80)}…"`);
}

// --- the held-out sets ---------------------------------------------------------------------------------

/** The rules of one held-out set (holdout/, fresh/). */
interface HeldOutRules {
  prefix: Record<FileName, Prefix>;
  minCount: Record<FileName, number>;
  minNearMissShare: number;
  minStyleShare: Record<string, number>;
  minStandalone: number;
  /** The folders its questions must not re-ask. */
  against: readonly AnySplit[];
}
/** What was found in one held-out set, for the report. */
interface HeldOutResult {
  name: HeldOut;
  counts: SplitCounts;
  tally: SplitTallies;
}

/**
 * tests/eval/holdout/ (written after the test split was reported) and tests/eval/fresh/ (written after the holdout was
 * reported): blind to the bot, reported once. Each is checked with the same per-item rules; it is outside the dev/test
 * share and coverage rules (its answers do not count towards "every paragraph answered"). Returns undefined when the
 * folder does not exist.
 */
function checkHeldOut(name: HeldOut, rules: HeldOutRules): HeldOutResult | undefined {
  if (!existsSync(resolve(HERE, name))) return undefined;
  const tally: SplitTallies = { section: new Tally(), style: new Tally(), asks: new Tally(), kind: new Tally(), turnSection: new Tally() };
  const counts = checkSplit(name, rules.prefix, tally, false);
  const n = counts.items;
  for (const file of FILES) {
    if (n[file] < rules.minCount[file]) err(`${name}/${file}.json: ${n[file]} items, need >= ${rules.minCount[file]}`);
  }
  const nearShare = n.offtopic ? tally.kind.get('near-miss', name) / n.offtopic : 0;
  if (nearShare < rules.minNearMissShare) err(`${name}/offtopic.json: near-miss share ${pct(nearShare)}, need >= ${pct(rules.minNearMissShare)}`);
  for (const [style, min] of Object.entries(rules.minStyleShare)) {
    const sh = n.questions ? tally.style.get(style, name) / n.questions : 0;
    if (sh < min) err(`${name}/questions.json: style "${style}" is ${pct(sh)} of the questions, need >= ${pct(min)}`);
  }
  for (const h of contentSections) {
    if (tally.section.get(h, name) < 1) err(`${name}/questions.json: no question answered in section "${h}"`);
  }
  if (counts.standalone < rules.minStandalone) err(`${name}/conversations.json: ${counts.standalone} standalone turns, need >= ${rules.minStandalone}`);
  // the same re-ask check as for test, against the earlier folders
  for (const h of questionRanges.filter((q) => q.split === name)) {
    const twin = questionRanges.find((d) => rules.against.includes(d.split) && d.asks === h.asks && overlapping(d.ranges, h.ranges));
    if (twin) err(`${h.where}: re-asks ${twin.where} (same answer type, overlapping answer span); the ${name} set holds new questions only`);
  }
  return { name, counts, tally };
}

const heldOut = [
  checkHeldOut(HOLDOUT, {
    prefix: HOLDOUT_PREFIX,
    minCount: HOLDOUT_MIN_COUNT,
    minNearMissShare: HOLDOUT_MIN_NEAR_MISS_SHARE,
    minStyleShare: HOLDOUT_MIN_STYLE_SHARE,
    minStandalone: HOLDOUT_MIN_STANDALONE,
    against: ['dev', 'test'],
  }),
  checkHeldOut(FRESH, {
    prefix: FRESH_PREFIX,
    minCount: FRESH_MIN_COUNT,
    minNearMissShare: FRESH_MIN_NEAR_MISS_SHARE,
    minStyleShare: FRESH_MIN_STYLE_SHARE,
    minStandalone: FRESH_MIN_STANDALONE,
    against: ['dev', 'test', HOLDOUT],
  }),
].filter((r): r is HeldOutResult => r !== undefined);

// --- report -------------------------------------------------------------------------------------------

const row = (label: string, t: Tally, key: string): string =>
  `    ${label.padEnd(34)} ${String(t.get(key)).padStart(4)}  (${t.get(key, 'dev')}/${t.get(key, 'test')})`;
/** A titled list of a tally, one line per key present (in the order of `keys`). */
const block = (title: string, t: Tally, keys: readonly string[], format: (label: string, t: Tally, key: string) => string): void => {
  console.log(title);
  for (const key of t.keys(keys)) console.log(format(key, t, key));
};
console.log(`article: ${ARTICLE_PATH} (${article.length} chars, ${coverableParagraphs.length} paragraphs, ${coveredParagraphs.size} answered)`);
for (const file of FILES) {
  const c = count[file];
  const total = c.dev + c.test;
  console.log(`${file}.json: ${total} (dev ${c.dev}, test ${c.test}, test share ${pct(total ? c.test / total : 0)})`);
}
block('questions per section of the first answer (total, dev/test):', qSection, HEADINGS, row);
block('questions per style:', qStyle, STYLES, row);
block('questions per answer type (asks):', qAsks, ASKS, row);
block('off-topic per kind:', oKind, KINDS, row);
for (const split of SPLITS) {
  const n = count.offtopic[split];
  console.log(`    near-miss share ${split}: ${pct(n ? oKind.get('near-miss', split) / n : 0)}`);
}
console.log(`conversation turns: ${turns.dev + turns.test} (dev ${turns.dev}, test ${turns.test}), standalone: dev ${standalone.dev}, test ${standalone.test}`);
block('conversation turns per section of the first answer:', turnSection, HEADINGS, row);

for (const { name, counts, tally } of heldOut) {
  const hrow = (label: string, t: Tally, key: string): string => `    ${label.padEnd(34)} ${String(t.get(key, name)).padStart(4)}`;
  const c = counts.items;
  console.log(`${name} (outside the dev/test split): questions ${c.questions}, offtopic ${c.offtopic}, conversations ${c.conversations}`);
  block(`  ${name} questions per section of the first answer:`, tally.section, HEADINGS, hrow);
  block(`  ${name} questions per style:`, tally.style, STYLES, hrow);
  block(`  ${name} questions per answer type (asks):`, tally.asks, ASKS, hrow);
  block(`  ${name} off-topic per kind:`, tally.kind, KINDS, hrow);
  console.log(`    near-miss share ${name}: ${pct(c.offtopic ? tally.kind.get('near-miss', name) / c.offtopic : 0)}`);
  console.log(`  ${name} conversation turns: ${counts.turns}, standalone: ${counts.standalone}`);
  block(`  ${name} conversation turns per section of the first answer:`, tally.turnSection, HEADINGS, hrow);
}

for (const w of warnings) console.warn(`WARN  ${w}`);
for (const e of errors) console.error(`ERROR ${e}`);
if (errors.length) {
  console.error(`\n${errors.length} error(s)`);
  process.exitCode = 1;
} else {
  console.log('\nOK: all checks passed');
}
