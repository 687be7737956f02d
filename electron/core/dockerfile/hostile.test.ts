// Dockerfiles that are large or odd on purpose: the parser stays fast and either gives a model
// or a StageScopeError naming the line, never a crash or a hang.
import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import { parseDockerfile } from './parse.ts';
import { planTarget } from './plan.ts';

const parse = (text: string) => parseDockerfile(text, { path: 'Dockerfile', platform: 'linux/amd64' });

describe('hostile Dockerfiles', () => {
  it('parses 1,000 chained stages and plans the last one', () => {
    const lines = ['FROM stagescope-test/busybox:1 AS s0', 'RUN true'];
    for (let i = 1; i < 1000; i++) lines.push(`FROM s${i - 1} AS s${i}`, `COPY --from=s${Math.floor(i / 2)} /a /a${i}`);
    const model = parse(lines.join('\n') + '\n');
    const plan = planTarget(model, undefined);
    expect(model.stages).toHaveLength(1000);
    expect(model.stages[999].name).toBe('s999');
    expect(plan.buildkit).toHaveLength(1000);
  });

  // About 3 s here, nearly all in dockerfile-ast (speed is measured by `npm run bench`).
  it('reads a 1 MB single RUN line and keeps it whole', { timeout: 60_000 }, () => {
    const long = 'echo ' + 'x'.repeat(1024 * 1024);
    const model = parse(`FROM stagescope-test/busybox:1\nRUN ${long}\n`);
    const run = model.stages[0].instructions.find((i) => i.keyword === 'RUN');
    expect(run?.text.length).toBeGreaterThan(1024 * 1024);
    expect(run?.line).toBe(2);
  });

  it('rejects a 1 MB line with no instruction before FROM with a line number, the text clipped to 40 characters', () => {
    let caught: unknown = null;
    try {
      parse('x'.repeat(1024 * 1024) + '\nFROM a\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StageScopeError);
    expect((caught as StageScopeError).details).toMatchObject({ line: 1, column: 1 });
    // The message stays one readable sentence, not a megabyte of echo.
    expect((caught as StageScopeError).message).toBe(`Dockerfile:1: unknown instruction "${'x'.repeat(40)}…" (column 1).`);
  });

  it('names the column of an unknown instruction, and clips a long invalid stage name to 40 characters', () => {
    const error = (text: string) => {
      try {
        parse(text);
      } catch (err) {
        return err as StageScopeError;
      }
      throw new Error('parsed');
    };
    expect(error('FROM a\n   BOGUS x\n').details).toMatchObject({ line: 2, column: 4, instruction: 'BOGUS' });
    expect(error(`FROM a AS ${'B!'.repeat(50)}\n`).message).toBe(`Dockerfile:1: "${'B!'.repeat(20)}…" is not a valid stage name.`);
  });

  it('rejects a stage cycle through COPY --from, naming the line', () => {
    let caught: unknown = null;
    try {
      parse('FROM a AS x\nCOPY --from=y /a /a\nFROM x AS y\nCOPY --from=x /b /b\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StageScopeError);
    expect((caught as StageScopeError<'dockerfile'>).details.line).toBe(2);
  });

  it('treats an unknown --from name as an external image, not a crash', () => {
    const model = parse('FROM a AS x\nCOPY --from=nosuchstage /a /a\n');
    const edge = model.edges.find((e) => e.kind === 'copy');
    expect(edge?.from).toMatchObject({ kind: 'image', ref: 'nosuchstage' });
  });

  it('keeps NUL and ESC in a RUN line as text, and names a BOM-prefixed keyword as an unknown instruction', () => {
    expect(parse('FROM a\nRUN echo \u0000\n').stages[0].instructions[1]).toMatchObject({ keyword: 'RUN', text: 'RUN echo \u0000' });
    expect(parse('FROM a\nRUN echo \u001b[31mred\n').stages[0].instructions[1]).toMatchObject({
      keyword: 'RUN',
      text: 'RUN echo \u001b[31mred',
    });
    // A BOM inside the file (not at its start) is part of the word: not RUN, and said so.
    expect(() => parse('FROM a\n\uFEFFRUN true\n')).toThrow(/^Dockerfile:2: unknown instruction "\uFEFFRUN" \(column 1\)\.$/);
  });
});
