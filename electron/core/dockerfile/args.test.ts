// The model's parsed, expanded arguments of COPY / ADD / WORKDIR, by BuildKit's rules (each
// rule below was checked against BuildKit 0.13 on Engine 26.1 where it says "engine").
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './parse.ts';
import { processWord } from './expand.ts';

const argsAt = (text: string, line: number, buildArgs?: Record<string, string>) =>
  parseDockerfile(text, { path: 'Dockerfile', buildArgs, platform: 'linux/amd64' })
    .stages.flatMap((s) => s.instructions)
    .find((i) => i.line === line)?.args;

describe('COPY / ADD / WORKDIR arguments in the model', () => {
  it('expands a stage ARG default in a COPY --from source (engine)', () => {
    expect(
      argsAt('FROM a AS prep\nFROM b\nARG DEPENDENCY=target/dependency\nCOPY --from=prep ${DEPENDENCY}/BOOT-INF/lib /app/lib\n', 4),
    ).toEqual(['target/dependency/BOOT-INF/lib', '/app/lib']);
  });

  it('--build-arg wins over the default', () => {
    expect(argsAt('FROM b\nARG D=x\nCOPY $D/lib /l\n', 3, { D: 'given' })).toEqual(['given/lib', '/l']);
  });

  it('a global ARG is visible only when declared again in the stage, then with its global value (engine)', () => {
    const text = 'ARG G=/deps\nFROM b AS one\nCOPY ${G}/lib /x\nFROM b AS two\nARG G\nCOPY ${G}/lib /x\n';
    expect(argsAt(text, 3)).toEqual(['/lib', '/x']);
    expect(argsAt(text, 6)).toEqual(['/deps/lib', '/x']);
    expect(argsAt(text, 6, { G: '/over' })).toEqual(['/over/lib', '/x']);
  });

  it('an ARG is visible from its line on, not before', () => {
    expect(argsAt('FROM b\nCOPY $A /x\nARG A=late\n', 2)).toEqual(['', '/x']);
  });

  it('ENV of the stage and of the stages it is built FROM (engine); ENV wins over an ARG of the same name', () => {
    const text =
      'FROM a AS base\nENV LIBDIR=/deps\nFROM base AS mid\nFROM mid\nARG LIBDIR=/arg\nCOPY ${LIBDIR}/lib /t/\nENV X=$LIBDIR/x\nWORKDIR $X\n';
    expect(argsAt(text, 6)).toEqual(['/deps/lib', '/t/']);
    expect(argsAt(text, 8)).toEqual(['/deps/x']);
  });

  it('${VAR:-word} and ${VAR:+word} (engine), $VAR, and an escaped dollar', () => {
    const text = 'FROM b\nARG UNSET\nARG SET=s\nCOPY ${UNSET:-/deps}/lib${UNSET:+nope} $SET${SET:+-plus} \\$SET /t/\n';
    expect(argsAt(text, 4)).toEqual(['/deps/lib', 's-plus', '$SET', '/t/']);
  });

  it('skips flags, joins continuation lines, keeps quoted words whole', () => {
    expect(argsAt('FROM b\nARG D=d\nADD --chmod=644 --chown=1:1 \\\n  "a $D" \\\n  \'lit $D\' /dst/\n', 3)).toEqual([
      'a d',
      'lit $D',
      '/dst/',
    ]);
  });

  it('reads the JSON form, expanding variables in its strings', () => {
    expect(argsAt('FROM a\nFROM b\nARG D=d\nCOPY --from=0 ["/a b", "$D/c"]\n', 4)).toEqual(['/a b', 'd/c']);
  });

  it('keeps a heredoc source as <<NAME and stops before its body', () => {
    expect(argsAt('FROM b\nCOPY <<EOF /etc/x.conf\nhello $D\nEOF\n', 2)).toEqual(['<<EOF', '/etc/x.conf']);
  });

  it('uses the escape directive', () => {
    expect(argsAt('# escape=`\nFROM b\nARG D=d\nCOPY `$D $D `\n  /t/\n', 4)).toEqual(['$D', 'd', '/t/']);
  });

  it('leaves other instructions without args', () => {
    expect(argsAt('FROM b\nRUN echo $HOME\n', 2)).toBeNull();
  });
});

describe('processWord', () => {
  const vars = new Map<string, string | undefined>([['A', 'x']]);
  it.each([
    ['$A', 'x'],
    ['"$A y"', 'x y'],
    ["'$A'", '$A'],
    ['\\$A', '$A'],
    ['a\\ b', 'a b'],
    ['"q\\"$A"', 'q"x'],
    ['pre"$A"post', 'prexpost'],
  ])('%s -> %s', (word, expected) => {
    expect(processWord(word, vars)).toBe(expected);
  });
});
