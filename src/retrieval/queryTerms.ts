/**
 * Words that carry no topic: question words, chat filler, auxiliaries. Dropping them keeps
 * "wat happend to yezov" and "Who was Yezhov?" equally about Yezhov.
 */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing done down during each few for from further had has have having he her here hers herself him himself his
  how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours out over own same
  she should so some such than that the their theirs them themselves then there these they this those through to too under until up
  very was we were what when where which while who whom why will with would you your yours yourself
  wat wut whats what's who's hey hi hello bot pls please plz lol ok okay tell know explain describe say said mean meant happen happened happend
  many much anyone someone something thing things really get got like im i'm u ur ya yeah yes thanks thank article`.split(/\s+/),
);

/** Lower-cased word tokens (letters and digits of any script, inner apostrophes and hyphens kept). */
export function tokenize(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).map((t) => t.replace(/['’]s$/u, ''));
}

export function isStopword(term: string): boolean {
  return STOPWORDS.has(term);
}

/** Topic-bearing terms of a question, in order, without repeats. */
export function contentTerms(text: string): string[] {
  return [...new Set(tokenize(text).filter((t) => !isStopword(t) && (t.length > 1 || /\p{N}/u.test(t))))];
}
