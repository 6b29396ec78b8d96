import { describe, expect, it } from 'vitest';
import { analyzeQuestion, type NameFinder } from '../src/retrieval/question.ts';
import { lexicalTerms, questionTerms } from '../src/text/tokens.ts';

/** The corpus's names table, as the retriever hands it to question analysis: lexical terms in, a typed name out. */
function namesOf(names: Record<string, 'person' | 'organisation' | 'place'>): NameFinder {
  return (words) => {
    const key = lexicalTerms(words).join(' ');
    const type = names[key];
    return type ? { name: key, type } : undefined;
  };
}

describe('question analysis', () => {
  const names = namesOf({ kamenev: 'person', molotov: 'person', 'deni pritt': 'person', navi: 'organisation' });

  it('takes a name without the verbs around it', () => {
    // The names table matches on lexical terms, which drop "happened", "say" and "explain": the name must not swallow them.
    expect(analyzeQuestion("What happened to Kamenev's kid?", names).entities.map((e) => e.text)).toEqual(["Kamenev's"]);
    expect(analyzeQuestion('What did Denis Pritt say about the trials?', names).entities.map((e) => e.text)).toEqual(['Denis Pritt']);
    expect(analyzeQuestion('How did Molotov explain away the confessions?', names).entities.map((e) => e.text)).toEqual(['Molotov']);
    expect(analyzeQuestion('Why did the navy get hit so hard?', names).entities.map((e) => e.text)).toEqual(['navy']);
  });

  it('keeps words that carry no topic out of the focus', () => {
    const analysis = analyzeQuestion("What happened to Kamenev's kid?", names);
    expect(analysis.answerType).toBe('event');
    expect(analysis.focusWords).toEqual(['kid']);
  });
});

describe('topic words of a question', () => {
  it('leaves chat filler out, so it is searched for by what it is about', () => {
    // "wait" and "even" weighed as much as the rarest words of the article and pulled up passages that had them.
    expect(questionTerms('wait what was a troika even')).toEqual(['troika']);
    expect(questionTerms('yo so did stalin actually sign the lists tho')).toEqual(['stalin', 'sign', 'lists']);
  });
});
