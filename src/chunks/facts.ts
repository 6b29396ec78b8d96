/**
 * Per-sentence facts computed at index build time: entities by type, years, numbers, and whether the sentence leans
 * on the one before it. Regular expressions and generic word lists, no NLP library: measured against compromise and
 * wink-nlp on the seed article and on text about other subjects, they found the names as well or better, at a
 * fraction of the start-up time (see the README's "How it works").
 */
import {
  DEMONYM_SUFFIX, EVENT_HEADS, MONTHS, MULTIWORD_PLACES, NUMBER_WORDS, ORG_HEADS, PERSON_TITLES,
  NOT_GIVEN_NAMES, PLACE_HEADS, PLACE_NAMES, PLACE_PREFIXES, NAME_STOPWORDS as STOPWORDS, TITLE_NOUNS,
} from '../text/wordLists.ts';
import { type SurfaceToken as Token, isAcronym, isCapitalised, stripPossessive, surfaceTokens as tokenize } from '../text/tokens.ts';
import { editDistance } from '../text/editDistance.ts';

export type EntityType = 'person' | 'organisation' | 'place';

export type NameType = EntityType | 'other';

/** Lower-cased name → type, mined from the corpus by buildEntityLexicon (full names, surnames, other names). */
export type EntityLexicon = ReadonlyMap<string, NameType>;

export interface NumberMention {
  text: string;
  /** null for vague quantities such as "hundreds of thousands". */
  value: number | null;
}

export interface SentenceFacts {
  entities: Record<EntityType, string[]>;
  years: number[];
  /** Surface forms: "July 30, 1937", "September 1936", "1930s", "summer of 1938". */
  dates: string[];
  numbers: NumberMention[];
  continuesPrevious: boolean;
  /** The words that made continuesPrevious true, for debugging and for the team's review. */
  continuationCue: string | null;
}

export interface FactOptions {
  /**
   * Text before the sentence: the paragraph so far (a definite "The commission" may point several sentences back);
   * for the first sentence of a paragraph, only a previous paragraph that ends with a colon ("... finds:").
   */
  previous?: string;
  lexicon?: EntityLexicon;
}

/** A run of capitalised tokens ("Nikolai Yezhov", "Communist Party of the Soviet Union"). */
export interface NameSpan {
  words: string[];
  start: number;
  end: number;
  /** Lower-case word just before the span (after any title), '' at the start. */
  before: string;
  /** Word just after the span, as written. */
  after: string;
  /** A title such as "President" or "MP" stood right before the name. */
  titled: boolean;
  /** The span names a title's domain ("Commissar of Water Transport", "Minister of Defence"), not a person. */
  office: boolean;
  possessive: boolean;
}

const PERSON_VERBS = new Set(
  `said says wrote writes testified confessed claimed stated argued maintained postulated demanded agreed
  denied died survived recalled admitted insisted believed thought told asked replied recognized recognised
  married resigned refused promised`.split(/\s+/),
);
const EVENT_PREFIXES = new Set(['operation', 'battle', 'trial', 'treaty', 'siege', 'war']);
const WORK_CUES = new Set(['wrote', 'published', 'titled', 'entitled', 'novel', 'book', 'film', 'poem', 'album']);
const ROMAN = /^(?:II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI)$/;

/** Documents, not organisations: "NKVD Order", "RSFSR Penal Code". */
const DOCUMENT_HEADS = new Set(['order', 'decree', 'code', 'law', 'act', 'article', 'resolution', 'constitution', 'report']);
/** First words that make a two-word span with a place name a place ("Nazi Germany"), not an organisation. */
const PLACE_MODIFIERS = new Set(['nazi', 'soviet', 'imperial', 'tsarist', 'north', 'south', 'east', 'west', 'northern',
  'southern', 'eastern', 'western', 'central', 'upper', 'lower', 'greater', 'new', 'old']);
/** "X of Y" / "X for Y" is one name only when X is a head noun ("Council of Ministers", "Institute for Advanced Study"). */
export const joinsWithOf = (word: string): boolean => {
  const w = word.toLowerCase().replace(/(?<=[^s])s$/, '');
  return ORG_HEADS.has(w) || EVENT_HEADS.has(w) || PLACE_HEADS.has(w) || TITLE_NOUNS.has(w) || ORG_HEADS.has(word.toLowerCase());
};

/** Finds runs of capitalised words with the cheap cues a regex can see; no part-of-speech model. */
export function findNameSpans(sentence: string, tokens: readonly Token[] = tokenize(sentence)): NameSpan[] {
  const spans: NameSpan[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!startsName(tokens, i)) { i++; continue; }
    const first = i;
    const words: string[] = [];
    let possessive = false;
    for (;;) {
      const word = stripPossessive(tokens[i]!.text);
      words.push(word);
      possessive = word !== tokens[i]!.text;
      i++;
      if (possessive || i >= tokens.length) break;
      if (isNameWord(tokens[i]!.text)) continue;
      if (tokens[i]!.text === '.' && /^\p{Lu}$/u.test(word) && isNameWord(tokens[i + 1]?.text ?? '')) {
        words[words.length - 1] += '.'; // an initial: "Oleg V. Naumov"
        i++;
        continue;
      }
      const joiner = /^(?:of|for)$/.test(tokens[i]!.text) ? (tokens[i + 1]?.text === 'the' ? 2 : 1) : 0;
      if (joiner && tokens[i + joiner] && isNameWord(tokens[i + joiner]!.text) && joinsWithOf(word)) {
        words.push(...tokens.slice(i, i + joiner).map((t) => t.text));
        i += joiner;
        continue;
      }
      break;
    }
    let lead = first;
    while (words.length > 1 && PERSON_TITLES.has(words[0]!.toLowerCase().replace(/\.$/, ''))) { words.shift(); lead++; }
    const titled = lead > first || PERSON_TITLES.has((tokens[first - 1]?.text ?? '').toLowerCase());
    const office = tokens[first - 1]?.text === 'of' && PERSON_TITLES.has((tokens[first - 2]?.text ?? '').toLowerCase());
    spans.push({
      words,
      start: tokens[lead]!.start,
      end: tokens[i - 1]!.end,
      before: (tokens[lead - 1]?.text ?? '').toLowerCase(),
      after: tokens[i]?.text ?? '',
      titled,
      office,
      possessive,
    });
  }
  return spans;
}

const isNameWord = (word: string): boolean => isCapitalised(word) && !STOPWORDS.has(word.toLowerCase());

function startsName(tokens: readonly Token[], i: number): boolean {
  const word = tokens[i]!.text;
  if (!isCapitalised(word) || !/\p{L}/u.test(word)) return false;
  if (STOPWORDS.has(word.toLowerCase()) || MONTHS.has(word.toLowerCase())) return false;
  return !(word.length === 1 && tokens[i + 1]?.text !== '.'); // a lone capital that is not an initial ("I")
}

/** Decides the type of a span from generic cues; `hint` is what an NLP library said, if one is used. */
export function classifySpan(span: NameSpan, lexicon?: EntityLexicon, hint?: EntityType | null): EntityType | null {
  if (WORK_CUES.has(span.before)) return null; // "wrote Things Fall Apart", "a book titled Not Guilty"
  // a regnal number belongs to a name ("Joseph II"); elsewhere it is part of a name of a thing ("World War II")
  const regnal = span.words.length > 1 && ROMAN.test(span.words[span.words.length - 1]!);
  const words = regnal ? span.words.slice(0, -1) : span.words;
  if (regnal && words.length === 1 && !EVENT_HEADS.has(words[0]!.toLowerCase())) return 'person';
  const full = words.join(' ').toLowerCase();
  const last = words[words.length - 1]!.toLowerCase();
  const ofAt = words.findIndex((w) => w === 'of' || w === 'for');
  const headWord = (ofAt > 0 ? words[ofAt - 1]! : words[words.length - 1]!).toLowerCase();
  const head = headWord.replace(/(?<=[^s])s$/, ''); // "Commissions" → "commission"
  const known = lexicon?.get(full);
  if (known && known !== 'other') return known;
  if (MULTIWORD_PLACES.has(full) || (PLACE_NAMES.has(last) && (words.length === 1 || (words.length === 2 && PLACE_MODIFIERS.has(words[0]!.toLowerCase()))))) return 'place';
  if (words.length === 1 && isAcronym(words[0]!)) {
    return /^\d/.test(span.after) || PERSON_TITLES.has(last) ? null : 'organisation';
  }
  if (EVENT_PREFIXES.has(words[0]!.toLowerCase()) || EVENT_HEADS.has(head) || DOCUMENT_HEADS.has(head) || TITLE_NOUNS.has(head)) return null;
  if (ORG_HEADS.has(headWord) || ORG_HEADS.has(head) || words.some(isAcronym)) return 'organisation';
  if (words.length > 1 && (PLACE_HEADS.has(last) || PLACE_PREFIXES.has(words[0]!.toLowerCase()))) return 'place';
  if (hint) return hint;
  if (span.titled) return 'person';
  if (span.office) return null;
  if (span.before === 'the') return null; // "the Yezhovshchina", "the Thaw": names, but not of people
  if (words.length === 1) {
    const surname = lexicon?.get(last) ?? (last.length >= 7 ? fuzzyPerson(last, lexicon) : undefined);
    if (surname && surname !== 'other') return surname;
    if (DEMONYM_SUFFIX.test(last) && /^\p{Ll}/u.test(span.after)) return null;
    return PERSON_VERBS.has(span.after.toLowerCase()) ? 'person' : null;
  }
  if (words.length > 4 || !words.every((w) => isCapitalised(w) && !isAcronym(w))) return null;
  // "American Ambassador", "British Union": a demonym-like first word. Short given names ("Ivan", "Yan") pass.
  if (NOT_GIVEN_NAMES.has(words[0]!.toLowerCase())) return null;
  return DEMONYM_SUFFIX.test(words[0]!) && words[0]!.length > 5 ? null : 'person';
}

/** A spelling variant of a known person ("Khruschev" for "Khrushchev"): one edit away, long names only. */
function fuzzyPerson(word: string, lexicon?: EntityLexicon): NameType | undefined {
  if (!lexicon) return undefined;
  for (const [name, type] of lexicon) {
    if (type === 'person' && !name.includes(' ') && name[0] === word[0] && name.slice(-2) === word.slice(-2) && editDistance(name, word, 1) <= 1) return type;
  }
  return undefined;
}

const canBeListedPerson = (span: NameSpan): boolean => {
  const last = span.words[span.words.length - 1]!.toLowerCase();
  return span.words.length <= 3 && span.before !== 'the' && !span.words.includes('of') && !span.words.includes('for') && !EVENT_HEADS.has(last) && !ORG_HEADS.has(last);
};

/** Names in a list ("Voroshilov, Kaganovich, Suslov and Rudenko") share the type of the typed ones. */
export function spreadOverLists(sentence: string, spans: NameSpan[], types: (EntityType | null)[]): void {
  for (let i = 0; i < spans.length; i++) {
    let j = i;
    while (j + 1 < spans.length && /^\s*(?:,|,?\s+and|,?\s+or)\s+$/.test(sentence.slice(spans[j]!.end, spans[j + 1]!.start))) j++;
    if (j === i) continue;
    const gaps = Array.from({ length: j - i }, (_, k) => sentence.slice(spans[i + k]!.end, spans[i + k + 1]!.start));
    const isList = j - i >= 2 || gaps.some((g) => /\band\b|\bor\b/.test(g));
    if (isList && types.slice(i, j + 1).includes('person')) {
      for (let k = i; k <= j; k++) if (types[k] === null && canBeListedPerson(spans[k]!)) types[k] = 'person';
    }
    i = j;
  }
}

/** A sentence tokenized once, with its name spans: the lexicon rounds and the facts reuse them. */
export interface PreparedSentence {
  text: string;
  tokens: Token[];
  spans: NameSpan[];
}

export function prepareSentence(text: string): PreparedSentence {
  const tokens = tokenize(text);
  return { text, tokens, spans: findNameSpans(text, tokens) };
}

export function extractEntities(sentence: string | PreparedSentence, lexicon?: EntityLexicon): Record<EntityType, string[]> {
  const { text, spans } = typeof sentence === 'string' ? prepareSentence(sentence) : sentence;
  const types = spans.map((s) => classifySpan(s, lexicon));
  spreadOverLists(text, spans, types);
  return groupEntities(spans, types);
}

export function groupEntities(spans: NameSpan[], types: (EntityType | null)[]): Record<EntityType, string[]> {
  const out: Record<EntityType, string[]> = { person: [], organisation: [], place: [] };
  spans.forEach((s, i) => {
    const t = types[i];
    const name = s.words.join(' ');
    if (t && !out[t].includes(name)) out[t].push(name);
  });
  return out;
}

/**
 * Build-time lexicon: names typed by two passes over the text (full person names teach their surnames,
 * "Nikolai Yezhov" → "Yezhov"), plus untyped names seen mid-sentence ("Moscow Trials", "Yezhovshchina") as 'other'.
 */
export function buildEntityLexicon(input: ReadonlyArray<string | PreparedSentence>): Map<string, NameType> {
  const sentences = input.map((s) => (typeof s === 'string' ? prepareSentence(s) : s));
  let lexicon = new Map<string, NameType>();
  for (let round = 0; round < 2; round++) lexicon = lexiconRound(sentences, lexicon);
  const lowerCaseWords = new Set(sentences.flatMap((s) => s.tokens.filter((t) => /^\p{Ll}/u.test(t.text)).map((t) => t.text)));
  for (const { tokens, spans } of sentences) {
    for (const span of spans) {
      const key = span.words.join(' ').toLowerCase();
      // A function word written with a capital just before the span: the span sits inside a title ("On the Personality …").
      const at = tokens.findIndex((t) => t.start === span.start);
      const inTitle = STOPWORDS.has(span.before) && at >= 1 && isCapitalised(tokens[at - 1]!.text);
      // one capitalised word is a name only if the corpus never writes it in lower case ("Purges" vs "purges")
      const named = span.words.length > 1 || (span.start > 0 && !inTitle && !lowerCaseWords.has(key));
      if (named && !lexicon.has(key) && classifySpan(span, lexicon) === null) lexicon.set(key, 'other');
    }
  }
  return lexicon;
}

function lexiconRound(sentences: readonly PreparedSentence[], known: EntityLexicon): Map<string, NameType> {
  const lexicon = new Map<string, NameType>();
  const clash = new Set<string>();
  const add = (name: string, type: EntityType): void => {
    const key = name.toLowerCase();
    const had = lexicon.get(key);
    if (had && had !== type) clash.add(key);
    else lexicon.set(key, type);
  };
  for (const sentence of sentences) {
    const found = extractEntities(sentence, known.size ? known : undefined);
    for (const name of found.person) {
      const words = name.split(' ');
      add(name, 'person');
      const surname = words[words.length - 1]!;
      if (words.length >= 2 && surname.length > 2 && !surname.endsWith('.')) add(surname, 'person');
    }
    for (const name of found.organisation) add(name, 'organisation');
    for (const name of found.place) add(name, 'place');
  }
  for (const key of clash) lexicon.delete(key);
  return lexicon;
}

// ---- years, dates, numbers ----

const MONTH_RE = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
const DATE_RES = [
  new RegExp(`\\b${MONTH_RE}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'g'),
  new RegExp(`\\b\\d{1,2}\\s+${MONTH_RE}\\s+\\d{4}\\b`, 'g'),
  new RegExp(`\\b${MONTH_RE},?\\s+\\d{4}\\b`, 'g'),
  /\b(?:spring|summer|autumn|fall|winter)\s+of\s+\d{4}\b/gi,
  /\b\d{3}0['’]?s\b|['’]\d0s\b/g,
];

function findDates(sentence: string): string[] {
  return datesWithOffsets(sentence).map((f) => f.text);
}

function datesWithOffsets(sentence: string): Array<{ text: string; start: number }> {
  const found: { text: string; start: number }[] = [];
  for (const re of DATE_RES) {
    for (const m of sentence.matchAll(re)) {
      const start = m.index;
      if (found.some((f) => start >= f.start && start < f.start + f.text.length)) continue;
      found.push({ text: m[0], start });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** A plausible year: 4 digits 1000–2099, not part of an ISBN or a longer digit string, not "422-page". */
const YEAR_RE = /(?<![\d,.\-–]|ISBN\s?)(1\d{3}|20\d{2})(?:\s*[-–]\s*(\d{4}|\d{2})(?!\d))?(?!\d|,\d|['’]?s\b|-page|\s+pages)/g;

export function findYears(sentence: string): number[] {
  const years = new Set<number>();
  for (const m of sentence.matchAll(YEAR_RE)) {
    const from = Number(m[1]);
    years.add(from);
    if (m[2]) {
      const to = m[2].length === 2 ? Math.floor(from / 100) * 100 + Number(m[2]) : Number(m[2]);
      if (to > from && to - from < 100) years.add(to);
    }
  }
  return [...years];
}

const DIGITS_RE = /(?<![\p{L}\d'’[])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:-page|th|st|nd|rd)?(?![\d])/gu;
const VAGUE_RE = /\b(?:hundreds|thousands|millions|dozens|tens)(?:\s+of\s+(?:thousands|millions))?\b/gi;

function findNumbers(sentence: string, years: readonly number[], tokens: readonly Token[] = tokenize(sentence)): NumberMention[] {
  const out: NumberMention[] = [];
  const dates = datesWithOffsets(sentence);
  const inDate = (at: number): boolean => dates.some((d) => at >= d.start && at < d.start + d.text.length);
  for (const m of sentence.matchAll(DIGITS_RE)) {
    const text = m[1]!;
    if (inDate(m.index) || sentence[m.index + m[0].length] === ']') continue;
    const before = sentence.slice(Math.max(0, m.index - 6), m.index);
    if (/ISBN\s?$/.test(before) || /^\d{8,}$/.test(text)) continue;
    const value = Number(text.replace(/,/g, ''));
    const isYear = /^\d{4}$/.test(text) && years.includes(value);
    const isYearTail = /^\d{2}$/.test(text) && /\d{4}\s*[-–]\s*$/.test(before);
    if (!isYear && !isYearTail && !/^\d+(?:st|nd|rd|th)$/.test(m[0])) out.push({ text, value });
  }
  for (const t of tokens) {
    const word = t.text.toLowerCase();
    if (!NUMBER_WORDS.has(word) && !(word.includes('-') && NUMBER_WORDS.has(word.slice(0, word.indexOf('-'))))) continue;
    const parts = word.split('-');
    if (parts.every((p) => NUMBER_WORDS.has(p)) && !(word === 'one' && /\b(?:the only|no|any|every|each)\s*$/i.test(sentence.slice(0, t.start)))) {
      if (/^\s+of\s+(?:thousands|millions)/i.test(sentence.slice(t.end))) continue;
      out.push({ text: t.text, value: parts.reduce((sum, p) => sum + (NUMBER_WORDS.get(p) ?? 0), 0) });
    }
  }
  for (const m of sentence.matchAll(VAGUE_RE)) out.push({ text: m[0], value: null });
  return out;
}

// ---- continuation ----

const LEADING_CUES: readonly RegExp[] = [
  /^(?:He|She|They|His|Her|Their|Its|Them|These|Those|Such)\b/,
  /^It\b(?!\s+(?:is|was|has been)\s+(?:now\s+)?(?:known|said|believed|thought|estimated|reported|clear|likely|possible|true)\b)/,
  /^This\b/,
  /^(?:On this basis|In this case|In (?:the|this) same \w+|For example|For instance|Instead|Thus|Therefore|As a result|In addition|In particular|Another|The (?:other|remainder|rest)\b|The (?:latter|former)(?=\s*(?:,|was|were|is|are|had))|Both|All (?:were|of them)|Of these|Four of|The (?:first|second|third|fourth|fifth|last)\b(?=\s*(?:,|was|were|is|had)))/,
  /^After (?:the|this|that) (?:trial|war|event|meeting|speech)\b/,
  // "Nonetheless, he said ...", "Since it included ...": a connective, then a pronoun
  /^(?:However|Nonetheless|Nevertheless|Also|But|And|Yet|Still|Moreover|Since|Although|Though|Because|While|When|As|If|After|Before|So)\b,?\s+(?:he|she|they|it|this|these|his|her|their|its)\b/,
  /^(?:\S+\s+){0,3}(?:such(?!\s+as\b)|these|those)\s+\p{L}+/u, // "After months of such interrogation", not "such as"
];

/**
 * Does this sentence lean on the text before it (pronoun, demonstrative, "The commission", "On this basis")?
 * `previous` as in FactOptions.
 */
export function continuationCue(sentence: string, previous?: string): string | null {
  const text = sentence.replace(/^[\s"“'(]+/, '');
  for (const re of LEADING_CUES) {
    const m = re.exec(text);
    if (m) return m[0];
  }
  if (previous !== undefined && /:\s*$/.test(previous)) return '(previous sentence ends with a colon)';
  const definite = /^The ([a-z][a-z-]+)\b/.exec(text);
  if (definite && previous !== undefined) {
    const stem = definite[1]!.replace(/(?:ies|es|s)$/, '').slice(0, 6);
    if (stem.length >= 4 && new RegExp(`\\b${stem}`, 'i').test(previous)) return definite[0];
  }
  return null;
}

export function sentenceFacts(input: string | PreparedSentence, options: FactOptions = {}): SentenceFacts {
  const prepared = typeof input === 'string' ? prepareSentence(input) : input;
  const sentence = prepared.text;
  const years = findYears(sentence);
  const cue = continuationCue(sentence, options.previous);
  return {
    entities: extractEntities(prepared, options.lexicon),
    years,
    dates: findDates(sentence),
    numbers: findNumbers(sentence, years, prepared.tokens),
    continuesPrevious: cue !== null,
    continuationCue: cue,
  };
}
