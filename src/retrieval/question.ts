/** Question analysis at query time: wh-word, expected answer type, focus, answer-type words, topic entities. */
import { type NameType, classifySpan, findNameSpans, findYears } from '../chunks/facts.ts';
import { MONTHS, ORG_NOUNS, PERSON_NOUNS, PLACE_NAMES, NAME_STOPWORDS as STOPWORDS, TITLE_NOUNS } from '../text/wordLists.ts';
import { isStopword, surfaceTokens, tokenize } from '../text/tokens.ts';


export type AnswerType =
  | 'person' | 'organisation' | 'place' | 'date' | 'number' | 'title' | 'reason' | 'definition'
  | 'yesno' | 'event' | 'method' | 'other';

export interface QuestionEntity {
  /** As the user wrote it. */
  text: string;
  /** The corpus name it was matched to (lower case), or the text itself. */
  canonical: string;
  type: NameType;
}

export interface QuestionAnalysis {
  whWord: string | null;
  answerType: AnswerType;
  /** Content words saying what is asked about, the wh-phrase's noun first ("admirals" in "how many admirals"). */
  focusWords: string[];
  /** Words that only describe the answer type: "year" in "in what year", "name" in "what is the name of". */
  answerTypeWords: string[];
  entities: QuestionEntity[];
  /** Years the question is restricted to ("in 1933", "1937-38"); months and years are kept out of focusWords. */
  years: number[];
}

const CHAT_SPELLINGS: ReadonlyMap<string, string> = new Map([
  ['wat', 'what'], ['wut', 'what'], ['wht', 'what'], ['whats', "what's"], ['happend', 'happened'],
  ['ppl', 'people'], ['yr', 'year'], ['yrs', 'years'], ['u', 'you'], ['ur', 'your'], ['becuase', 'because'],
  ['bc', 'because'], ['cuz', 'because'], ['werent', "weren't"], ['wasnt', "wasn't"], ['didnt', "didn't"],
]);
const FILLERS = new Set(
  'hey hi yo ok okay so but and wait um hmm well lol lmao tho though pls please bot even actually basically just really nah'.split(' '),
);
const AUX = new Set(
  "did does do was were is are has have had can could would will should may might must isn't wasn't weren't didn't doesn't don't".split(' '),
);
const WH = new Set(['who', 'whom', 'whose', 'what', "what's", 'which', 'when', 'where', 'why', 'how']);
const DATE_NOUNS = new Set(['year', 'years', 'date', 'dates', 'month', 'months', 'decade', 'day', 'time', 'period']);
const PLACE_NOUNS = new Set(['country', 'countries', 'city', 'cities', 'place', 'places', 'town', 'region', 'where']);
const NUMBER_NOUNS = new Set(['share', 'number', 'percentage', 'proportion', 'amount', 'fraction', 'figure', 'toll']);
const REASON_NOUNS = new Set(['reason', 'reasons', 'excuse', 'motive', 'motives', 'justification', 'cause', 'pretext', 'purpose', 'goal', 'aim']);
const QUOTE_VERBS = new Set(['say', 'said', 'call', 'called', 'report', 'admit', 'claim', 'write', 'conclude', 'tell', 'state']);
const REASON_VERBS = new Set(['justify', 'rationalise', 'rationalize', 'defend', 'excuse']);
const TYPE_WORDS_AFTER_HOW = new Set(['many', 'much', 'long', 'old', 'often', 'tall', 'high', 'far', 'big', 'large', 'wide', 'deep', 'heavy']);

interface Words { raw: string[]; lower: string[] }

/**
 * The two places where a tagger could help: finding the noun that a "what/which" phrase asks for, and
 * typed names in the question. The defaults use word lists only; the benchmark plugs compromise or wink in here.
 */
export interface QuestionFeatures {
  whPhraseHead(lower: string[], at: number, text: string): string | null;
  isPersonNoun(word: string): boolean;
  namedEntities(text: string): QuestionEntity[];
}

export const WORD_LIST_FEATURES: QuestionFeatures = {
  whPhraseHead: (lower, at) => whPhraseHead(lower, at),
  // "physicist", "historian", "chairman": role suffixes cover what the list misses
  isPersonNoun: (word) => PERSON_NOUNS.has(word) || /^\p{L}{3,}(?:ist|ian|man|men)s?$/u.test(word),
  namedEntities: () => [],
};

function words(text: string): Words {
  const raw = surfaceTokens(text)
    .map((t) => t.text)
    .filter((t) => /[\p{L}\p{N}]/u.test(t) || t === '?' || t === ',');
  const lower = raw.map((w) => {
    const l = w.toLowerCase().replace(/’/g, "'");
    return CHAT_SPELLINGS.get(l) ?? l;
  });
  return { raw, lower };
}

/**
 * Finds a name of the corpus that some words of a question stand for (case-blind, forgiving a typo): the index's
 * names table behind it. Undefined when none.
 */
export type NameFinder = (words: string) => { name: string; type: NameType } | undefined;

export function analyzeQuestion(text: string, names?: NameFinder, features: QuestionFeatures = WORD_LIST_FEATURES): QuestionAnalysis {
  const w = words(text);
  const entities = findQuestionEntities(text, w, names);
  for (const e of features.namedEntities(text)) {
    if (!entities.some((f) => f.text.toLowerCase().includes(e.text.toLowerCase()) || e.text.toLowerCase().includes(f.text.toLowerCase()))) entities.push(e);
  }
  const entityWords = new Set(entities.flatMap((e) => e.text.toLowerCase().split(/\s+/)));
  const { whWord, whAt } = findWhWord(w.lower);
  const answerTypeWords: string[] = [];
  const answerType = classify(w.lower, whWord, whAt, entities, answerTypeWords, features, text);
  const skip = new Set([...answerTypeWords, ...entityWords]);
  const focusWords = w.lower.filter(
    (x, i) => i !== whAt && /\p{L}/u.test(x) && carriesTopic(x) && !STOPWORDS.has(x) && !FILLERS.has(x) && !AUX.has(x) && !WH.has(x) && !skip.has(x) && !MONTHS.has(x),
  );
  return { whWord, answerType, focusWords: [...new Set(focusWords)], answerTypeWords, entities, years: findYears(text) };
}

/** The wh-word that governs the question: the first one, unless the question opens with an auxiliary (yes/no). */
function findWhWord(lower: string[]): { whWord: string | null; whAt: number } {
  let i = 0;
  while (i < lower.length && FILLERS.has(lower[i]!)) i++;
  // "can you tell me who ...", "could you point me to ..., like who wrote ..." are requests, not yes/no questions
  const request = /^(?:can|could|would) you\b/.test(lower.slice(i, i + 2).join(' '));
  if (AUX.has(lower[i]!) && !request) return { whWord: lower[i]!, whAt: i };
  for (let j = i; j < lower.length; j++) if (WH.has(lower[j]!)) return { whWord: lower[j] === "what's" ? 'what' : lower[j]!, whAt: j };
  return { whWord: null, whAt: -1 };
}

function classify(
  lower: string[], wh: string | null, at: number, entities: QuestionEntity[], typeWords: string[], features: QuestionFeatures, text: string,
): AnswerType {
  const next = lower[at + 1] ?? '';
  const rest = lower.slice(at + 1).filter((x) => x !== '?' && x !== ',');
  const has = (set: ReadonlySet<string>): string | undefined => rest.find((x) => set.has(x));
  const mark = (...ws: (string | undefined)[]): void => { for (const x of ws) if (x) typeWords.push(x); };
  // "And the navy?", "what about Rykov?": an elliptical follow-up; the caller should reuse the previous turn's type
  if (wh === null && /^(?:and|also)$/.test(lower[0] ?? '') && !lower.some((x) => AUX.has(x))) return 'other';
  if (wh === null) return classifyKeywords(lower, entities, mark);
  if (AUX.has(wh)) return 'yesno';
  if (wh === 'how') {
    if (TYPE_WORDS_AFTER_HOW.has(next)) {
      mark('how', next);
      return next === 'long' && (lower[at + 2] === 'after' || lower[at + 2] === 'ago') ? 'date' : 'number';
    }
    if (next === 'come') return 'reason';
    return has(REASON_VERBS) ? 'reason' : 'method';
  }
  if (wh === 'why') return 'reason';
  if (wh === 'when') return 'date';
  if (wh === 'where') return 'place';
  if (wh === 'who' || wh === 'whom' || wh === 'whose') {
    const only = definitionSubject(lower.slice(at + 1));
    const entity = only ? entities.find((e) => e.text.toLowerCase() === only) : undefined;
    return entity?.type === 'organisation' ? 'organisation' : 'person';
  }
  // what / which: look at the noun that the wh-word asks for
  const head = features.whPhraseHead(lower, at, text);
  if (head && DATE_NOUNS.has(head)) { mark(head); return 'date'; }
  if (head && PLACE_NOUNS.has(head)) { mark(head); return 'place'; }
  if (head && NUMBER_NOUNS.has(head)) { mark(head); return 'number'; }
  if (head && REASON_NOUNS.has(head)) { mark(head); return 'reason'; }
  if (head && features.isPersonNoun(head)) return 'person';
  if (head && ORG_NOUNS.has(head)) return 'organisation';
  const titleWord = rest.slice(0, 4).find((x) => TITLE_NOUNS.has(x) || x === 'name');
  if (head && TITLE_NOUNS.has(head)) { mark(head === 'title' || head === 'subtitle' ? head : undefined); return 'title'; }
  if (titleWord && (titleWord === 'title' || titleWord === 'subtitle' || titleWord === 'name')) { mark(titleWord); return 'title'; }
  if (/^(?:happened|happens|became|becomes)$/.test(next)) return 'event';
  if (head === 'methods' || head === 'method' || head === 'means') { mark(head); return 'method'; }
  if (lower.includes('mean') || lower.includes('meant') || lower.includes('meaning')) return 'definition';
  if (definitionSubject(lower.slice(at + 1))) return 'definition';
  if (rest.some((x) => QUOTE_VERBS.has(x))) return 'other';
  return 'other';
}

/** For "what was the NKVD exactly" / "who was Alexander Orlov": the short noun phrase asked about, else null. */
function definitionSubject(rest: string[]): string | null {
  const cut = rest.indexOf(',');
  const body = (cut >= 0 ? rest.slice(0, cut) : rest).filter((x) => x !== '?' && !FILLERS.has(x) && x !== 'exactly' && x !== 'again');
  if (!/^(?:is|was|are|were|'s)$/.test(body[0] ?? '')) return null;
  const np = body.slice(1).filter((x) => x !== 'the' && x !== 'a' && x !== 'an');
  const looksLikeNp = np.length >= 1 && np.length <= 4 && !np.some((x) => STOPWORDS.has(x) || AUX.has(x) || /ed$/.test(x));
  return looksLikeNp ? np.join(' ') : null;
}

/** The noun right after "what"/"which" (skipping adjectives and proper names), e.g. "correspondent" in "which New York Times correspondent". */
export function whPhraseHead(lower: string[], at: number): string | null {
  if (lower[at] !== 'what' && lower[at] !== 'which' && lower[at] !== "what's") return null;
  let i = at + 1;
  // "what was the excuse ...", "what's the subtitle ...": the noun after the copula is the predicate, but only
  // answer-type nouns count there ("what were the defendants planning" asks about a plan, not a person)
  let predicate = false;
  if (/^(?:is|was|are|were)$/.test(lower[i] ?? '') && /^(?:the|a|an)$/.test(lower[i + 1] ?? '')) { i += 2; predicate = true; }
  else if (lower[at] === "what's" && /^(?:the|a|an)$/.test(lower[i] ?? '')) { i += 1; predicate = true; }
  const phrase: string[] = [];
  while (i < lower.length && !AUX.has(lower[i]!) && !STOPWORDS.has(lower[i]!) && lower[i] !== '?' && lower[i] !== ',' && phrase.length < 5) {
    phrase.push(lower[i]!);
    i++;
  }
  const sets = predicate
    ? [DATE_NOUNS, PLACE_NOUNS, NUMBER_NOUNS, REASON_NOUNS, TITLE_NOUNS]
    : [DATE_NOUNS, PLACE_NOUNS, NUMBER_NOUNS, REASON_NOUNS, PERSON_NOUNS, ORG_NOUNS, TITLE_NOUNS];
  const known = [...phrase].reverse().find((x) => sets.some((s) => s.has(x)));
  // without a tagger we cannot tell "which physicist left Italy" (noun, verb, name): take the first word
  return known ?? (predicate ? null : phrase[0] ?? null);
}

function classifyKeywords(lower: string[], entities: QuestionEntity[], mark: (...ws: (string | undefined)[]) => void): AnswerType {
  const find = (re: RegExp): string | undefined => lower.find((x) => re.test(x));
  const cue = (re: RegExp): boolean => { const x = find(re); if (x) mark(x); return x !== undefined; };
  if (cue(/^(?:meaning|mean|means|definition|define)$/)) return 'definition';
  if (find(/^(?:author|authors|wrote|writer|compilers?|editors?|who)$/)) return 'person';
  if (cue(/^(?:dates?|years?|when)$/)) return 'date';
  if (cue(/^(?:pages|number|count|toll|figures?|many|much)$/)) return 'number';
  if (cue(/^(?:name|title|subtitle)$/)) return 'title';
  if (cue(/^(?:why|reasons?|motives?|causes?)$/)) return 'reason';
  if (find(/^(?:how|methods?|obtained)$/)) return 'method';
  if (find(/^(?:verdict|quote|said|say|says)$/)) return 'other';
  if (lower[lower.length - 1] === '?') return 'yesno'; // "so sartre just told ppl to ignore the camps??"
  // a bare name ("article 58 rsfsr", "great purge") asks what it is
  return entities.length > 0 && lower.length <= 3 ? 'definition' : 'other';
}

/** Names in the question: capitalised spans, plus case-blind, typo-tolerant matches against the corpus lexicon. */
function findQuestionEntities(text: string, w: Words, names?: NameFinder): QuestionEntity[] {
  const found: QuestionEntity[] = [];
  const covered = new Set<number>();
  for (let len = 4; len >= 1; len--) {
    for (let i = 0; i + len <= w.lower.length; i++) {
      const idx = Array.from({ length: len }, (_, k) => i + k);
      if (idx.some((k) => covered.has(k))) continue;
      const gram = w.lower.slice(i, i + len);
      if (STOPWORDS.has(gram[0]!) || STOPWORDS.has(gram[len - 1]!) || gram.some((x) => !/\p{L}|\d/u.test(x) || FILLERS.has(x) || AUX.has(x) || WH.has(x))) continue;
      // A name begins and ends with a word the lexicon keeps: "happened to Kamenev's" is Kamenev, "Molotov explain" Molotov.
      if (!carriesTopic(gram[0]!) || !carriesTopic(gram[len - 1]!)) continue;
      const key = gram.join(' ').replace(/'s$/, '');
      const hit = lookup(key, names);
      if (!hit) continue;
      idx.forEach((k) => covered.add(k));
      found.push({ text: w.raw.slice(i, i + len).join(' '), canonical: hit.name, type: hit.type });
    }
  }
  for (const span of findNameSpans(text)) {
    const name = span.words.join(' ');
    if (found.some((e) => e.text.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(e.text.toLowerCase()))) continue;
    const type = classifySpan(span);
    if (type || span.words.length > 1 || span.start > 0) found.push({ text: name, canonical: name.toLowerCase(), type: type ?? 'other' });
  }
  return found;
}

/** Whether a question word is a topic word to the one tokenizer (not "happened", "say", "like"). */
function carriesTopic(word: string): boolean {
  return tokenize(word).some((t) => !isStopword(t));
}

function lookup(key: string, names?: NameFinder): { name: string; type: NameType } | null {
  const found = names?.(key);
  if (found) return found;
  if (PLACE_NAMES.has(key)) return { name: key, type: 'place' };
  return null;
}
