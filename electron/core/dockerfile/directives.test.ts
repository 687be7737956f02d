import { describe, expect, it } from 'vitest';
import { stripSyntaxDirective } from './directives.ts';
import { parseDockerfile } from './parse.ts';

const lineOf = (text: string, keyword: string) =>
  parseDockerfile(text, { path: 'Dockerfile' })
    .stages.flatMap((s) => s.instructions)
    .find((i) => i.keyword === keyword)?.line;

describe('stripSyntaxDirective', () => {
  it('blanks the syntax line and keeps every line number', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM a\nRUN x\n';
    const stripped = stripSyntaxDirective(text);
    expect(stripped).toBe('\nFROM a\nRUN x\n');
    expect(parseDockerfile(stripped, { path: 'D' }).directives.syntax).toBeNull();
    expect(lineOf(stripped, 'RUN')).toBe(lineOf(text, 'RUN'));
  });

  it('keeps an escape directive that follows it in force', () => {
    const text = '# syntax=docker/dockerfile:1\n# escape=`\nFROM a\nRUN echo `\n  b\n';
    const stripped = stripSyntaxDirective(text);
    expect(stripped).toBe('# escape=`\n\nFROM a\nRUN echo `\n  b\n');
    const model = parseDockerfile(stripped, { path: 'D' });
    expect(model.directives.escape).toBe('`');
    expect(model.stages[0].instructions[1]).toMatchObject({ line: 4, endLine: 5 });
  });

  it('handles an escape directive first, spacing, upper case and CRLF', () => {
    expect(stripSyntaxDirective('# escape=\\\r\n#  SYNTAX = x/y:1\r\nFROM a\r\n')).toBe('# escape=\\\r\n\r\nFROM a\r\n');
  });

  it('leaves files without a syntax directive, or with one below the top block, untouched', () => {
    const plain = 'FROM a\nRUN x\n';
    expect(stripSyntaxDirective(plain)).toBe(plain);
    const late = '# a comment\n# syntax=docker/dockerfile:1\nFROM a\n';
    expect(stripSyntaxDirective(late)).toBe(late);
  });
});
