import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../dockerfile/parse.ts';
import { copiesFromContextRoot } from './build-stages.ts';

const model = (text: string) => parseDockerfile(text, { path: 'Dockerfile' });

describe('copiesFromContextRoot', () => {
  it('is true for a COPY or ADD of the whole context, a root glob or the file itself', () => {
    for (const src of ['.', './', '/', '*', '.d*', '.dockerfile.abc', '"./"']) {
      expect(copiesFromContextRoot(model(`FROM a\nCOPY ${src} /x/\n`), '.dockerfile.abc'), src).toBe(true);
    }
    expect(copiesFromContextRoot(model('FROM a\nADD docker /x/\n'), 'docker/app.Dockerfile')).toBe(true);
  });

  it('is false for other sources, --from copies and heredocs', () => {
    expect(copiesFromContextRoot(model('FROM a\nCOPY src/ go.mod /x/\n'), '.dockerfile.abc')).toBe(false);
    expect(copiesFromContextRoot(model('FROM a AS b\nFROM a\nCOPY --from=b . /x/\n'), '.dockerfile.abc')).toBe(false);
    expect(copiesFromContextRoot(model('FROM a\nCOPY <<EOF /x\nhi\nEOF\n'), '.dockerfile.abc')).toBe(false);
  });
});
