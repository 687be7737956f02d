// Dockerfiles that are large or odd on purpose: the parser stays fast and either gives a model
// or a StageScopeError naming the line, never a crash or a hang.
import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import { parseDockerfile } from './parse.ts';
import { planTarget } from './plan.ts';

const parse = (text: string) => parseDockerfile(text, { path: 'Dockerfile', platform: 'linux/amd64' });

describe('hostile Dockerfiles', () => {
  it('parses 1,000 chained stages in well under a second and plans the last one', () => {
    const lines = ['FROM stagescope-test/busybox:1 AS s0', 'RUN true'];
    for (let i = 1; i < 1000; i++) lines.push(`FROM s${i - 1} AS s${i}`, `COPY --from=s${Math.floor(i / 2)} /a /a${i}`);
    const started = performance.now();
    const model = parse(lines.join('\n') + '\n');
    const plan = planTarget(model, undefined);
    const elapsed = performance.now() - started;
    expect(model.stages).toHaveLength(1000);
    expect(model.stages[999].name).toBe('s999');
    expect(plan.buildkit).toHaveLength(1000);
    expect(elapsed).toBeLessThan(5000);
  });

  // About 3 s here, nearly all in dockerfile-ast; the bound catches a quadratic blow-up.
  it('reads a 1 MB single RUN line and keeps it whole', { timeout: 30_000 }, () => {
    const long = 'echo ' + 'x'.repeat(1024 * 1024);
    const started = performance.now();
    const model = parse(`FROM stagescope-test/busybox:1\nRUN ${long}\n`);
    expect(performance.now() - started).toBeLessThan(15_000);
    const run = model.stages[0].instructions.find((i) => i.keyword === 'RUN');
    expect(run?.text.length).toBeGreaterThan(1024 * 1024);
    expect(run?.line).toBe(2);
  });

  it('rejects a 1 MB line with no instruction before FROM with a line number, quickly', () => {
    const started = performance.now();
    let caught: unknown = null;
    try {
      parse('x'.repeat(1024 * 1024) + '\nFROM a\n');
    } catch (err) {
      caught = err;
    }
    expect(performance.now() - started).toBeLessThan(5000);
    expect(caught).toBeInstanceOf(StageScopeError);
    expect((caught as StageScopeError).details).toMatchObject({ line: 1, column: 1 });
    // The message stays one readable sentence, not a megabyte of echo.
    expect((caught as StageScopeError).message.length).toBeLessThan(500);
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

  it('rejects NUL bytes and control characters in instruction lines with a clear error or parses them as text', () => {
    for (const text of ['FROM a\nRUN echo \u0000\n', 'FROM a\nRUN echo \u001b[31mred\n', 'FROM a\n\uFEFFRUN true\n']) {
      try {
        const model = parse(text);
        expect(model.stages).toHaveLength(1);
      } catch (err) {
        expect(err).toBeInstanceOf(StageScopeError);
      }
    }
  });
});
