import { describe, expect, it } from 'vitest';
import type { DockerfileModel, Stage } from '../../../shared/model.ts';
import { laterDuplicates, nameUnnamedStages, renameLaterDuplicates, stageResolver } from './upload.ts';

function stage(index: number, name: string | null, line: number, endLine = line): Stage {
  return {
    index,
    name,
    base: { kind: 'scratch', ref: null },
    platform: null,
    line,
    endLine,
    instructions: [{ keyword: 'FROM', line, endLine, text: '', flags: [], heredocs: [], args: null }],
    dependsOn: [],
  };
}

function model(stages: Stage[]): DockerfileModel {
  return {
    path: 'Dockerfile',
    directives: { syntax: null, syntaxLine: null, escape: '\\' },
    globalArgs: [],
    stages,
    edges: [],
    warnings: [],
  };
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

describe('renameLaterDuplicates', () => {
  it("renames the later declarations of a target's name, so --target binds to the earlier one", () => {
    const text = 'FROM a AS dup\nFROM dup AS mid\nFROM b AS DUP\r\nFROM dup AS after\nFROM c as dup\n';
    const m = model([stage(0, 'dup', 1), stage(1, 'mid', 2), stage(2, 'DUP', 3), stage(3, 'after', 4), stage(4, 'dup', 5)]);
    expect(laterDuplicates(m, 0).map((s) => s.index)).toEqual([2, 4]);
    expect(laterDuplicates(m, 4)).toEqual([]);
    expect(renameLaterDuplicates(text, m, 0).split('\n')).toEqual([
      'FROM a AS dup',
      'FROM dup AS mid',
      'FROM b AS stagescope-stage-2\r',
      'FROM dup AS after',
      'FROM c as stagescope-stage-4',
      '',
    ]);
    expect(renameLaterDuplicates(text, m, 2).split('\n')[4]).toBe('FROM c as stagescope-stage-4');
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
