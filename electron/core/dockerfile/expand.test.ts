import { describe, expect, it } from 'vitest';
import { expandVariables } from './expand.ts';

const vars = new Map<string, string | undefined>([
  ['A', 'x'],
  ['EMPTY', ''],
  ['UNSET', undefined],
]);
const expand = (text: string, escape = '\\') => expandVariables(text, vars, escape).value;

describe('expandVariables', () => {
  it.each([
    ['$A', 'x'],
    ['${A}', 'x'],
    ['pre-${A}-post', 'pre-x-post'],
    ['$A$A', 'xx'],
    ['${UNSET:-d}', 'd'],
    ['${UNSET-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${A:-d}', 'x'],
    ['${A:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${A}y}', 'xy'],
    ['\\$A', '$A'],
    ['$', '$'],
    ['a$1', 'a$1'],
    ['${A', '${A'],
  ])('%s -> %s', (text, expected) => {
    expect(expand(text)).toBe(expected);
  });

  it('uses the escape directive character', () => {
    expect(expand('`$A', '`')).toBe('$A');
    expect(expand('\\$A', '`')).toBe('\\x');
  });

  it('reports undeclared names, not declared-but-unset ones', () => {
    expect(expandVariables('$UNSET ${NOPE:-x} $A $OTHER', vars).undeclared).toEqual(['NOPE', 'OTHER']);
  });
});
