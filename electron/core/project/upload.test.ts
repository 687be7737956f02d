import { describe, expect, it } from 'vitest';
import type { DockerfileModel, Stage } from '../../../shared/model.ts';
import { nameUnnamedStages, stageResolver } from './upload.ts';

function stage(index: number, name: string | null, line: number, endLine = line): Stage {
  return {
    index,
    name,
    base: { kind: 'scratch', ref: null },
    platform: null,
    line,
    endLine,
    instructions: [{ keyword: 'FROM', line, endLine, text: '', flags: [], heredocs: [] }],
    dependsOn: [],
  };
}

function model(stages: Stage[]): DockerfileModel {
  return { path: 'Dockerfile', directives: { syntax: null, syntaxLine: null, escape: '\\' }, globalArgs: [], stages, edges: [], warnings: [] };
}

describe('nameUnnamedStages', () => {
  it('names unnamed stages on their FROM line and keeps the line count', () => {
    const text = 'FROM busybox\nRUN true\nFROM busybox AS final\r\nCOPY --from=0 /a /a\n';
    const out = nameUnnamedStages(text, model([stage(0, null, 1), stage(1, 'final', 3)]));
    expect(out.split('\n')).toHaveLength(text.split('\n').length);
    expect(out.split('\n')[0]).toBe('FROM busybox AS stagescope-stage-0');
    expect(out.split('\n')[2]).toBe('FROM busybox AS final\r');
  });

  it('appends to the last line of a continued FROM', () => {
    const text = 'FROM \\\n  busybox\nRUN true';
    const out = nameUnnamedStages(text, model([stage(0, null, 1, 2)]));
    expect(out).toBe('FROM \\\n  busybox AS stagescope-stage-0\nRUN true');
  });
});

describe('stageResolver', () => {
  it('resolves progress names case-insensitively, including stage-N', () => {
    const resolve = stageResolver(model([stage(0, null, 1), stage(1, 'Build', 3)]));
    expect(resolve('stagescope-stage-0')).toBe(0);
    expect(resolve('stage-0')).toBe(0);
    expect(resolve('build')).toBe(1);
    expect(resolve('internal')).toBeNull();
  });
});
