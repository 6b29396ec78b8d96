import { describe, expect, it } from 'vitest';
import { highlightedSentences } from '../src/answer/highlights.ts';

const options = { secondRatio: 0.9, yesNo: false, yesNoNeighbour: 0.7 };

describe('highlighted sentences', () => {
  it('is the best sentence, with the runner-up when nearly as good', () => {
    expect(highlightedSentences([0.2, 0.9, 0.4], [false, false, false], options)).toEqual([1]);
    expect(highlightedSentences([0.85, 0.9, 0.4], [false, false, false], options)).toEqual([0, 1]);
  });

  it('quotes the sentence a highlighted one continues', () => {
    // "The commission was headed by John Dewey." means nothing without the sentence that names the commission.
    expect(highlightedSentences([0.2, 0.3, 0.9], [false, false, true], options)).toEqual([1, 2]);
  });

  it('for a yes/no question, adds the sentence that continues the best one', () => {
    // "Piatakov testified that he had flown to Oslo" → "The Dewey Commission established that no such flight had taken place."
    const scores = [1.8, 0.7, 0.5];
    expect(highlightedSentences(scores, [false, true, false], { ...options, yesNo: true })).toEqual([0, 1]);
    expect(highlightedSentences(scores, [false, true, false], options)).toEqual([0]);
    expect(highlightedSentences(scores, [false, false, false], { ...options, yesNo: true })).toEqual([0]);
  });

  it("for a yes/no question, adds the best one's better neighbour when it scores nearly as well", () => {
    // "Repression … had been continuous since the October Revolution" beside "for the first time, the ruling party
    // itself underwent repressions": which of the two says no depends on the claim.
    expect(highlightedSentences([0.3, 0.8, 1.0, 0.6], [false, false, false, false], { ...options, yesNo: true })).toEqual([1, 2]);
    expect(highlightedSentences([0.3, 0.6, 1.0, 0.5], [false, false, false, false], { ...options, yesNo: true })).toEqual([2]);
    expect(highlightedSentences([0.3, 0.8, 1.0, 0.6], [false, false, false, false], options)).toEqual([2]);
    // The better neighbour is the runner-up already: the other one is not added for it.
    expect(highlightedSentences([0.75, 1.0, 0.92], [false, false, false], { ...options, yesNo: true })).toEqual([1, 2]);
    expect(highlightedSentences([0, 0, 0], [false, false, false], { ...options, yesNo: true })).toEqual([0]);
  });
});
