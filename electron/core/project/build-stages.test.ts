import { describe, expect, it } from 'vitest';
import type { BuildFailure } from '../../../shared/model.ts';
import { withContext } from './build-stages.ts';
import { parseDockerfile } from '../dockerfile/parse.ts';
import { copiesFromContextRoot } from './build-stages.ts';

const failure: BuildFailure = { stage: 1, stageName: 'broken', instruction: 'RUN exit 3', line: 6, message: 'exit code: 3', logs: [] };
const text = [
  '# syntax=docker/dockerfile:1',
  'FROM a AS ok',
  'RUN echo fine',
  '',
  'FROM ok AS broken',
  'RUN exit 3',
  '',
  'FROM a',
  'COPY --from=broken /x /x',
  '',
].join('\n');

describe('withContext', () => {
  it('adds the Dockerfile lines around the failing one, as written', () => {
    expect(withContext(failure, text).context).toEqual([
      { line: 3, text: 'RUN echo fine' },
      { line: 4, text: '' },
      { line: 5, text: 'FROM ok AS broken' },
      { line: 6, text: 'RUN exit 3' },
      { line: 7, text: '' },
      { line: 8, text: 'FROM a' },
      { line: 9, text: 'COPY --from=broken /x /x' },
    ]);
  });

  it('stops at the ends of the file and leaves a failure without a line alone', () => {
    expect(withContext({ ...failure, line: 1 }, 'FROM a\r\nRUN x\n').context).toEqual([
      { line: 1, text: 'FROM a' },
      { line: 2, text: 'RUN x' },
    ]);
    expect(withContext({ ...failure, line: null }, text).context).toBeUndefined();
    expect(withContext({ ...failure, line: 40 }, text).context).toBeUndefined();
  });
});

const model = (text: string) => parseDockerfile(text, { path: 'Dockerfile' });

describe('copiesFromContextRoot', () => {
  it('is true for a COPY or ADD of the whole context, a root glob or the file itself', () => {
    for (const src of ['.', './', '/', '*', '.d*', '.dockerfile.abc', '"./"']) {
      expect(copiesFromContextRoot(model(`FROM a\nCOPY ${src} /x/\n`), '.dockerfile.abc'), src).toBe(true);
    }
    expect(copiesFromContextRoot(model('FROM a\nADD docker /x/\n'), 'docker/app.Dockerfile')).toBe(true);
    expect(copiesFromContextRoot(model('FROM a\nRUN --mount=target=. make\n'), '.dockerfile.abc')).toBe(true);
    expect(copiesFromContextRoot(model('FROM a\nRUN --mount=type=bind,target=/src make\n'), '.dockerfile.abc')).toBe(true);
  });

  it('is false for other sources, --from copies and heredocs', () => {
    expect(copiesFromContextRoot(model('FROM a\nCOPY src/ go.mod /x/\n'), '.dockerfile.abc')).toBe(false);
    expect(copiesFromContextRoot(model('FROM a AS b\nFROM a\nRUN --mount=from=b,target=/x make\n'), '.dockerfile.abc')).toBe(false);
    expect(copiesFromContextRoot(model('FROM a\nRUN --mount=type=cache,target=/root/.cache make\n'), '.dockerfile.abc')).toBe(false);
    expect(copiesFromContextRoot(model('FROM a\nRUN --mount=source=src,target=/src make\n'), '.dockerfile.abc')).toBe(false);
    expect(copiesFromContextRoot(model('FROM a AS b\nFROM a\nCOPY --from=b . /x/\n'), '.dockerfile.abc')).toBe(false);
    expect(copiesFromContextRoot(model('FROM a\nCOPY <<EOF /x\nhi\nEOF\n'), '.dockerfile.abc')).toBe(false);
  });
});
