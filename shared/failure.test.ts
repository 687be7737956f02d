import { describe, expect, it } from 'vitest';
import { failureHeading, failureLabel } from './failure.ts';

describe('failureLabel', () => {
  it('names the stage and the line, without "stage stage-N"', () => {
    expect(failureLabel({ stage: 1, stageName: 'builder', line: 6 })).toBe('stage builder failed at line 6');
    expect(failureLabel({ stage: 2, stageName: null, line: 7 })).toBe('stage-2 failed at line 7');
    expect(failureLabel({ stage: 0, stageName: 'base', line: null })).toBe('stage base failed');
    expect(failureHeading({ stage: 1, stageName: 'builder', line: 6 })).toBe('Stage builder failed at line 6');
  });
});
