import { describe, expect, it } from 'vitest';
import { resolveReference } from '../src/answer/followUp.ts';
import type { Turn } from '../src/answer/types.ts';
import { analyzeQuestion, type QuestionAnalysis, type QuestionEntity } from '../src/retrieval/question.ts';

/** Each question's analysis, with the names the retriever's names table would find in it. */
const named = (byQuestion: Record<string, QuestionEntity[]>) => (turn: Turn): QuestionAnalysis => ({
  ...analyzeQuestion(turn.question),
  entities: byQuestion[turn.question] ?? [],
});
const person = (text: string): QuestionEntity => ({ text, canonical: text.toLowerCase(), type: 'person' });

describe('follow-up references', () => {
  it('"he" is the person the previous answer named', () => {
    const history: Turn[] = [{ question: 'Who headed the NKVD?', names: ['Nikolai Yezhov'] }];
    expect(resolveReference('Who replaced him?', history, named({}))).toBe('Who replaced Yezhov?');
    expect(resolveReference('and the new guy, what happened to him', history, named({}))).toBe('and Yezhov, what happened to him');
  });

  it('"he" is the person the previous question named when its answer named no one', () => {
    const history: Turn[] = [{ question: 'When was Tukhachevsky cleared?' }];
    const names = named({ 'When was Tukhachevsky cleared?': [person('Tukhachevsky')] });
    expect(resolveReference('What had he been accused of?', history, names)).toBe('What had Tukhachevsky been accused of?');
    expect(resolveReference("what was his rank", history, names)).toBe("what was Tukhachevsky's rank");
  });

  it('looks back past a question that names no one, but not to an older answer', () => {
    const names = named({ "What happened to Bukharin's wife?": [person("Bukharin's")] });
    const back: Turn[] = [{ question: "What happened to Bukharin's wife?" }, { question: 'did she survive' }];
    expect(resolveReference('when was he cleared', back, names)).toBe('when was Bukharin cleared');
    // An older answer may have named several people; the conversation has moved on from it.
    const older: Turn[] = [{ question: 'Who headed the second commission?', names: ['Molotov', 'Shvernik'] }, { question: 'was he on the first one too' }];
    expect(resolveReference('who did his commission refuse to rehabilitate', older, named({}))).toBeUndefined();
  });

  it('does not take the person a "who" question named for the one it asked about', () => {
    // "Who said he'd flown to Oslo to see Trotsky?" asks about Piatakov, whom only its answer names.
    const history: Turn[] = [{ question: "Who said he'd flown to Oslo to see Trotsky?" }, { question: 'did that flight really happen' }];
    const names = named({ "Who said he'd flown to Oslo to see Trotsky?": [person('Trotsky')] });
    expect(resolveReference('which trial was he a defendant in', history, names)).toBeUndefined();
  });

  it('leaves a question that points to no one alone', () => {
    const history: Turn[] = [{ question: 'When was Tukhachevsky cleared?' }];
    expect(resolveReference('When did it come out?', history, named({ 'When was Tukhachevsky cleared?': [person('Tukhachevsky')] }))).toBeUndefined();
    expect(resolveReference('Who replaced him?', [], named({}))).toBeUndefined();
  });
});
