/** An alias table mined from an article with generic surface patterns (no knowledge of any article). */
import { MONTHS, NAME_STOPWORDS as STOPWORDS } from '../text/wordLists.ts';
import { isAcronym, isCapitalised, surfaceTokens as tokenize } from '../text/tokens.ts';
import { editDistance } from '../text/editDistance.ts';

export interface Alias {
  alias: string;
  canonical: string;
  /** Which pattern found it: "paren-gloss", "quoted-gloss", "known-as", "so-called", "i.e.", "acronym", "term", "spelling". */
  pattern: string;
  /** Index of the sentence that says it (in the list mineAliases was given); absent for acronyms and spellings. */
  sentence?: number;
}

const WORD = String.raw`[\p{L}\p{N}][\p{L}\p{N}'’\-]*`;
const NAME_RUN = String.raw`(?:the\s+)?((?:\p{Lu}[\p{L}'’\-]*|\d+)(?:\s+(?:of|into|against|in|for|and|on|the|\p{Lu}[\p{L}'’\-]*|\d+))*(?<=[\p{L}\d]))`;
const BAD_GLOSS_START = /^(?:which|who|that|see|e\.g|i\.e|and|or|but|although|though|proved|made|as|if)\b/i;
const STOP_BACK = new Set([...STOPWORDS].filter((w) => !['of'].includes(w)));

/** The noun phrase that ends right before `end`: at most `max` words, stopping at articles, verbs "be/have", punctuation. */
function phraseBefore(text: string, end: number, max = 4): string {
  // A phrase of `max` words lies well within the last 200 characters.
  const words = tokenize(text.slice(Math.max(0, end - 200), end));
  const out: string[] = [];
  for (let i = words.length - 1; i >= 0 && out.length < max; i--) {
    const w = words[i]!.text;
    if (!/\p{L}/u.test(w) || STOP_BACK.has(w.toLowerCase())) break;
    out.unshift(w);
  }
  // a name ends the phrase ("A series of NKVD (...)"): keep only the name
  const lastIsName = out.length > 0 && isCapitalised(out[out.length - 1]!);
  let from = 0;
  if (lastIsName) for (let i = out.length - 1; i >= 0 && (isCapitalised(out[i]!) || (out[i] === 'of' && i > 0 && isCapitalised(out[i - 1]!))); i--) from = i;
  const kept = out.slice(from);
  while (kept.length && kept[0]!.toLowerCase() === 'of') kept.shift();
  return kept.join(' ');
}

/** "In May 1937 the Commission of Inquiry" → "Commission of Inquiry": drop leading function words, months, numbers. */
function trimName(s: string): string {
  const words = s.split(/\s+/);
  while (words.length > 1 && (STOPWORDS.has(words[0]!.toLowerCase()) || MONTHS.has(words[0]!.toLowerCase()) || /^\d/.test(words[0]!))) words.shift();
  return words.join(' ');
}

const clean = (s: string): string => s.replace(/^(?:the|a|an)\s+/i, '').replace(/[\s,;:.]+$/, '').trim();
const isNumberish = (s: string): boolean => /^[\d\s,.\-–]+$/.test(s) || /^(?:one|two|three|four|five|six|seven|eight|nine|ten)$/i.test(s);
const wordCount = (s: string): number => s.split(/\s+/).filter(Boolean).length;

function parenGlosses(sentence: string, add: (a: Alias) => void): void {
  const re = /\s\(([^()]{2,80})\)/g;
  for (const m of sentence.matchAll(re)) {
    const inner = m[1]!.trim();
    const quoted = /^(?:the\s+)?["“]([^"”]+)["”]$/.exec(inner);
    const left = phraseBefore(sentence, m.index);
    if (!left || isNumberish(left)) continue;
    if (quoted) {
      add({ alias: quoted[1]!, canonical: clean(left), pattern: 'quoted-gloss' });
      continue;
    }
    if (BAD_GLOSS_START.test(inner) || /[,;]/.test(inner) || isNumberish(inner) || wordCount(inner) > 6) continue;
    if (/^\p{Ll}+ed\b/u.test(inner) || /[^\p{Script=Latin}\s\d\-'’.()]/u.test(inner)) continue;
    const leftIsName = isCapitalised(left) || isAcronym(left.split(' ').pop() ?? '');
    const innerIsName = isCapitalised(inner.replace(/^the\s+/i, ''));
    // "NKVD (the Soviet secret police)": the name is canonical; "the wealthier peasants (kulaks)": the short term is
    if (leftIsName) add({ alias: clean(inner), canonical: clean(left), pattern: 'paren-gloss' });
    else if (wordCount(inner) <= 3) add({ alias: clean(left), canonical: innerIsName ? clean(inner) : inner, pattern: 'paren-gloss' });
  }
}

function knownAs(sentence: string, add: (a: Alias) => void): void {
  const re = new RegExp(String.raw`${NAME_RUN},?\s+(?:(?:commonly|also|better|often|popularly|sometimes)\s+)?(?:known|referred to|called)\s+as\s+(?:the\s+)?["“]?(\p{Lu}[\p{L}\p{N}'’\- ]*?)["”]?(?=[,.;)]|\s+(?:was|is|were|are|\())`, 'gu');
  for (const m of sentence.matchAll(re)) add({ alias: trimName(clean(m[1]!)), canonical: clean(m[2]!), pattern: 'known-as' });
}

function soCalled(sentence: string, add: (a: Alias) => void): void {
  const re = /,\s+the\s+so-called\s+["“]?([\p{Lu}][\p{L}\p{N}'’\- ]*?)["”]?(?=[,.;]|$)/gu;
  for (const m of sentence.matchAll(re)) {
    const before = sentence.slice(0, m.index);
    const rel = /(\p{L}+\s+(?:who|which)\s+(?:(?!\b(?:who|which)\b)[^,;])+)$/u.exec(before);
    const left = rel ? rel[1] : phraseBefore(sentence, m.index, 5);
    if (left) add({ alias: clean(left), canonical: clean(m[1]!), pattern: 'so-called' });
  }
}

function thatIs(sentence: string, add: (a: Alias) => void): void {
  const re = new RegExp(String.raw`["“]([^"”]{3,60})["”],?\s+i\.e\.,?\s+(${WORD}(?:\s+\p{Lu}${WORD})*)`, 'gu');
  for (const m of sentence.matchAll(re)) add({ alias: clean(m[1]!), canonical: clean(m[2]!), pattern: 'i.e.' });
}

function termDefinitions(sentence: string, add: (a: Alias) => void): void {
  const term = /^The term ["“]([^"”]+)["”].*?\b(?:used to denote|means|refers to|an abbreviation of|short for)\s+(?:the expression\s+)?([^,;.]+)/u.exec(sentence);
  if (term) add({ alias: term[1]!, canonical: clean(cut(term[2]!)), pattern: 'term' });
  const named = new RegExp(String.raw`^${NAME_RUN}\s+(?:is|was)\s+the name given to\s+([^,;.]+)`, 'u').exec(sentence);
  if (named) add({ alias: clean(cut(named[2]!)), canonical: clean(named[1]!), pattern: 'term' });
}

/** Keep a definition short: stop before a relative clause and after 12 words. */
const cut = (s: string): string => s.split(/\s+(?:which|who|that)\s+/)[0]!.split(/\s+/).slice(0, 12).join(' ');

/** "CPSU" ↔ "Communist Party of the Soviet Union": the initials of the content words spell the acronym. */
function acronyms(text: string, add: (a: Alias) => void): void {
  const byInitials = new Map<string, string[]>();
  for (const run of new Set(text.match(/\p{Lu}\p{Ll}+(?:\s+(?:(?:of|the|and|for)\s+)*\p{Lu}\p{Ll}+)+/gu) ?? [])) {
    const initials = run.split(/\s+/).filter((w) => isCapitalised(w)).map((w) => w[0]).join('');
    byInitials.set(initials, [...(byInitials.get(initials) ?? []), run]);
  }
  for (const acr of new Set(text.match(/\b\p{Lu}{3,6}\b/gu) ?? [])) {
    for (const run of byInitials.get(acr) ?? []) add({ alias: acr, canonical: run, pattern: 'acronym' });
  }
}

/** "Khruschev" ↔ "Khrushchev": two capitalised words one edit apart (long words only, not plural forms). */
function spellings(text: string, add: (a: Alias) => void): void {
  const counts = new Map<string, number>();
  for (const w of text.match(/\b\p{Lu}\p{Ll}{6,}\b/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  // Only words that end alike are compared (a spelling variant keeps its ending).
  const byEnding = new Map<string, string[]>();
  for (const w of counts.keys()) byEnding.set(w.slice(-2), [...(byEnding.get(w.slice(-2)) ?? []), w]);
  for (const names of byEnding.values()) {
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const a = names[i]!;
        const b = names[j]!;
        if (a.replace(/s$/, '') === b.replace(/s$/, '') || Math.abs(a.length - b.length) > 1) continue;
        if (editDistance(a, b, 1) === 1) {
          const [rare, common] = (counts.get(a) ?? 0) < (counts.get(b) ?? 0) ? [a, b] : [b, a];
          add({ alias: rare, canonical: common, pattern: 'spelling' });
        }
      }
    }
  }
}

/** The aliases of an article, from its sentences (in order) and its whole text (for acronyms and spelling variants). */
export function mineAliases(sentences: readonly string[], text: string): Alias[] {
  const out: Alias[] = [];
  const seen = new Set<string>();
  const add = (a: Alias): void => {
    const [x, y] = [a.alias.toLowerCase(), a.canonical.toLowerCase()];
    if (!x || !y || x === y || seen.has(`${x}|${y}`) || seen.has(`${y}|${x}`)) return; // one entry per pair
    seen.add(`${x}|${y}`);
    out.push(a);
  };
  // Each pattern only runs on sentences that have its cue word: most sentences have none.
  sentences.forEach((sentence, i) => {
    const here = (a: Alias) => add({ ...a, sentence: i });
    if (sentence.includes('(')) parenGlosses(sentence, here);
    if (/\b(?:known|referred to|called)\s+as\b/.test(sentence)) knownAs(sentence, here);
    if (sentence.includes('so-called')) soCalled(sentence, here);
    if (sentence.includes('i.e.')) thatIs(sentence, here);
    if (/^The term\b|\bthe name given to\b/.test(sentence)) termDefinitions(sentence, here);
  });
  acronyms(text, add);
  spellings(text, add);
  return out;
}
