import { describe, expect, it } from 'vitest';
import type { LayerSummary, StageReport } from '../../../shared/model.ts';
import { describeOrigin, layerOrigin } from './layer-origin.ts';

const layer = (index: number, line: number | null): LayerSummary => ({
  index,
  diffId: `sha256:${index}`,
  size: 1,
  createdBy: '',
  line,
  added: 1,
  modified: 0,
  removed: 0,
});

function stage(index: number, name: string, base: StageReport['base'], lines: (number | null)[]): StageReport {
  return {
    index,
    name,
    base,
    dependsOn: [],
    needed: true,
    built: true,
    tag: null,
    image: { id: `i${index}`, size: 1 },
    layers: lines.map((l, i) => layer(i, l)),
    fileCount: 1,
    totalBytes: 1,
    efficiency: { score: 1, wastedBytes: 0, paths: [] },
    failure: null,
  };
}

// golang:1.24 brings 3 layers; deps adds line 5; app is FROM deps and adds line 9.
const stages = [
  stage(0, 'deps', { kind: 'image', ref: 'golang:1.24' }, [null, null, null, 5]),
  stage(1, 'app', { kind: 'stage', ref: 'deps', stage: 0 }, [null, null, null, null, 9]),
];
const label = (i: number) => stages[i].name!;
const say = (s: number, l: number) => describeOrigin(layerOrigin(stages, s, l), label);

describe('layerOrigin', () => {
  it('names the base image layers after the image', () => {
    expect(say(0, 0)).toBe('golang:1.24, layer 1/3');
    expect(say(0, 2)).toBe('golang:1.24, layer 3/3');
  });
  it('says which stage and line an inherited layer comes from', () => {
    expect(say(1, 3)).toBe('from stage deps, line 5');
    expect(say(1, 1)).toBe('from stage deps, golang:1.24, layer 2/3');
  });
  it("names a stage's own layers by their line", () => {
    expect(say(1, 4)).toBe('line 9');
    expect(say(0, 3)).toBe('line 5');
  });
});
