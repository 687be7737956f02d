import { describe, expect, it } from 'vitest';
import type { Instruction, Stage } from '../../../shared/model.ts';
import { parseDockerfile } from './parse.ts';
import { workdirAt } from './workdir.ts';

const ins = (keyword: string, args: string[] | null, line: number): Instruction => ({
  keyword,
  line,
  endLine: line,
  text: '',
  flags: [],
  heredocs: [],
  args,
});

describe('workdirAt', () => {
  it('follows absolute and relative WORKDIRs before the line', () => {
    const stage = {
      instructions: [
        ins('FROM', null, 1),
        ins('WORKDIR', ['/app'], 2),
        ins('WORKDIR', ['sub/../sub2'], 3),
        ins('COPY', ['a', 'b'], 4),
        ins('WORKDIR', ['/late'], 5),
      ],
    } as Stage;
    expect(workdirAt(stage, 4)).toBe('/app/sub2');
    expect(workdirAt(stage, 2, '/inherited')).toBe('/inherited');
  });

  it('uses the expanded WORKDIR of the model (ENV of the base stage, ARG of the stage)', () => {
    const m = parseDockerfile(
      'FROM a AS base\nENV ROOT=/srv\nFROM base\nARG SUB=app\nWORKDIR ${ROOT}/$SUB\nWORKDIR "with space"\nCOPY x y\n',
      { path: 'Dockerfile' },
    );
    expect(workdirAt(m.stages[1], 7)).toBe('/srv/app/with space');
  });
});
