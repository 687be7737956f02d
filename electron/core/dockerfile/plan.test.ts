import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import { parseDockerfile } from './parse.ts';
import { dependencyClosure, planTarget, resolveStage } from './plan.ts';
import { stageLabel } from '../../../shared/format.ts';

// 0 base, 1 Tools (BuildKit skips it for the default target), 2 build FROM base, 3 final.
const model = parseDockerfile(
  'FROM a AS base\nFROM b AS Tools\nRUN make-tools\nFROM base AS build\nRUN go build\nFROM scratch\nCOPY --from=build /out /out\n',
  { path: 'Dockerfile' },
);

describe('resolveStage', () => {
  it('finds stages by name case-insensitively, by index and by stage-N label', () => {
    expect(resolveStage(model, 'tools')).toBe(1);
    expect(resolveStage(model, 'TOOLS')).toBe(1);
    expect(resolveStage(model, '2')).toBe(2);
    expect(resolveStage(model, 'stage-3')).toBe(3);
  });

  it('fails with the list of stages for an unknown ref', () => {
    for (const ref of ['nope', '4', 'stage-9']) {
      const err = (() => {
        try {
          resolveStage(model, ref);
        } catch (e) {
          return e as StageScopeError<'usage'>;
        }
        throw new Error('expected an error');
      })();
      expect(err).toBeInstanceOf(StageScopeError);
      expect(err.code).toBe('usage');
      expect(err.message).toContain(`"${ref}"`);
      expect(err.hint).toContain('0 (base), 1 (Tools), 2 (build), 3');
      expect(err.details.stages).toEqual(['base', 'Tools', 'build', 'stage-3']);
    }
  });
});

describe('planTarget', () => {
  it('defaults to the last stage: BuildKit skips the unused stage, classic builds it', () => {
    expect(planTarget(model)).toEqual({ target: 3, buildkit: [0, 2, 3], classic: [0, 1, 2, 3] });
  });

  it('stops at an intermediate target', () => {
    expect(planTarget(model, 'build')).toEqual({ target: 2, buildkit: [0, 2], classic: [0, 1, 2] });
    expect(planTarget(model, 'tools')).toEqual({ target: 1, buildkit: [1], classic: [0, 1] });
  });

  it('follows copy and mount edges transitively', () => {
    const m = parseDockerfile(
      'FROM a\nFROM b AS x\nCOPY --from=0 /a /a\nFROM c AS y\nRUN --mount=from=x,target=/x true\nFROM d\nCOPY --from=y /b /b\n',
      { path: 'Dockerfile' },
    );
    expect(dependencyClosure(m, 3)).toEqual([0, 1, 2, 3]);
    expect(dependencyClosure(m, 2)).toEqual([0, 1, 2]);
  });
});

it('stageLabel names unnamed stages stage-N', () => {
  expect(model.stages.map(stageLabel)).toEqual(['base', 'Tools', 'build', 'stage-3']);
});
