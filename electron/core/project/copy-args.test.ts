import { describe, expect, it } from 'vitest';
import type { Instruction, Stage } from '../../../shared/model.ts';
import { copyArgs, workdirAt } from './copy-args.ts';

const ins = (keyword: string, text: string, line = 1): Instruction => ({ keyword, line, endLine: line, text, flags: [], heredocs: [] });

describe('copyArgs', () => {
  it('drops flags and splits sources from dest', () => {
    expect(copyArgs(ins('COPY', 'COPY --from=build --chown=1:1 /out/a /out/b /dest/'))).toEqual({ sources: ['/out/a', '/out/b'], dest: '/dest/' });
  });
  it('reads the JSON form and continuation lines', () => {
    expect(copyArgs(ins('COPY', 'COPY --from=0 ["/a b", "/c"]'))).toEqual({ sources: ['/a b'], dest: '/c' });
    expect(copyArgs(ins('COPY', 'COPY --from=0 \\\n  /a \\\n  /b'))).toEqual({ sources: ['/a'], dest: '/b' });
  });
  it('returns null when there is no destination', () => {
    expect(copyArgs(ins('COPY', 'COPY --from=0 /a'))).toBeNull();
  });
});

describe('workdirAt', () => {
  it('follows absolute and relative WORKDIRs before the line', () => {
    const stage = {
      instructions: [ins('FROM', 'FROM x', 1), ins('WORKDIR', 'WORKDIR /app', 2), ins('WORKDIR', 'WORKDIR sub', 3), ins('COPY', 'COPY a b', 4), ins('WORKDIR', 'WORKDIR /late', 5)],
    } as Stage;
    expect(workdirAt(stage, 4)).toBe('/app/sub');
    expect(workdirAt(stage, 2, '/inherited')).toBe('/inherited');
  });
});
