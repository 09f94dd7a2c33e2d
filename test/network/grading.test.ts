// Intelligence gradings are spelled out beside their code (issue 22: "2BP" alone means nothing to most readers).
import { describe, expect, it } from 'vitest';
import { gradingWords } from '../../src/modules/network/rules.ts';

describe('a grading in words', () => {
  it('spells out each part of the 3x5x2 code', () => {
    expect(gradingWords({ source_evaluation: 2, intelligence_assessment: 'B', handling_code: 'P' })).toBe('2: untested; B: known indirectly to the source but corroborated; P: lawful sharing permitted');
    expect(gradingWords({ source_evaluation: '1', intelligence_assessment: 'A', handling_code: 'C' })).toBe('1: reliable; A: known directly to the source; C: lawful sharing permitted subject to conditions');
  });
});
