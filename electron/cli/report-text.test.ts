import { describe, expect, it } from 'vitest';
import type { Report, StageReport } from '../../shared/model.ts';
import { copiedFileSource, sizesText } from './report-text.ts';

const stage = (index: number, name: string | null, failed = false): StageReport =>
  ({
    index,
    name,
    failure: failed ? { stage: index, stageName: name, instruction: null, line: 3, message: 'x', logs: [] } : null,
  }) as StageReport;

const report = (sizes: Report['sizes'], stages: StageReport[], targetIndex = 1): Report => ({ sizes, stages, targetIndex }) as Report;

describe('sizesText', () => {
  it('says why there is no final image instead of printing 0 and the whole builder as saved', () => {
    expect(
      sizesText(
        report({ final: null, largestBuilder: { stage: 0, size: 515e6 }, saved: null }, [stage(0, 'build'), stage(1, 'app', true)]),
      ),
    ).toBe('No final image: the target app failed, so there is no final size and no bytes saved.');
  });

  it('prints a negative saving as the final image being larger', () => {
    expect(sizesText(report({ final: 30, largestBuilder: { stage: 0, size: 10 }, saved: -20 }, [stage(0, 'build'), stage(1, 'app')]))).toBe(
      'Final image 30 B vs largest builder build 10 B: the final image is 20 B larger, so nothing was saved (saved = \u221220 B).',
    );
    expect(
      sizesText(report({ final: 10, largestBuilder: { stage: 0, size: 30 }, saved: 20 }, [stage(0, 'build'), stage(1, 'app')])),
    ).toMatch(/: \u221266\.7 %, 20 B saved\.$/);
  });
});

describe('copiedFileSource', () => {
  it('says when a source path was not resolved and the file was matched by content', () => {
    expect(copiedFileSource({ path: '/a', sourcePath: '/a', sourceResolved: true, size: 1, identical: true })).toBe('identical');
    expect(copiedFileSource({ path: '/a', sourcePath: '/m2/a', sourceResolved: false, size: 1, identical: true })).toBe(
      'source path not resolved: matched by content (/m2/a)',
    );
    expect(copiedFileSource({ path: '/a', sourcePath: null, sourceResolved: false, size: 1, identical: false })).toBe(
      'source path not resolved: no file with the same content',
    );
  });
});
