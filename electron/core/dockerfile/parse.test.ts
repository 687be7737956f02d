import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import { parseDockerfile, readDockerfile } from './parse.ts';

const parse = (text: string, buildArgs?: Record<string, string>) =>
  parseDockerfile(text, { path: 'Dockerfile', buildArgs, platform: 'linux/amd64' });

/** Parses and returns the StageScopeError it must throw. */
function parseError(text: string, buildArgs?: Record<string, string>): StageScopeError<'dockerfile'> {
  try {
    parse(text, buildArgs);
  } catch (err) {
    expect(err).toBeInstanceOf(StageScopeError);
    return err as StageScopeError<'dockerfile'>;
  }
  throw new Error('expected a parse error');
}

function expectErrorAt(text: string, line: number, message: RegExp): void {
  const err = parseError(text);
  expect(err.code).toBe('dockerfile');
  expect(err.details.line).toBe(line);
  expect(err.details.path).toBe('Dockerfile');
  expect(err.message).toContain(`Dockerfile:${line}:`);
  expect(err.message).toMatch(message);
  expect(err.hint).toBeTruthy();
}

const GO_HELLO = `# syntax=docker/dockerfile:1
FROM stagescope-test/golang:1.24 AS build
WORKDIR /src
COPY <<EOF /src/main.go
package main

func main() { println("hello") }
EOF
RUN go mod init hello && \\
    go build -o /out/hello .

FROM scratch
COPY --from=build /out/hello /bin/hello
ENTRYPOINT ["/bin/hello"]
`;

describe('parseDockerfile: the Go hello world', () => {
  const model = parse(GO_HELLO);

  it('reads the syntax directive and its line', () => {
    expect(model.directives).toEqual({ syntax: 'docker/dockerfile:1', syntaxLine: 1, escape: '\\' });
  });

  it('finds both stages with bases and line ranges', () => {
    expect(model.stages.map((s) => [s.index, s.name, s.base, s.line, s.endLine])).toEqual([
      [0, 'build', { kind: 'image', ref: 'stagescope-test/golang:1.24' }, 2, 10],
      [1, null, { kind: 'scratch', ref: null }, 12, 14],
    ]);
  });

  it('keeps each instruction with its line range, text and heredoc', () => {
    const build = model.stages[0].instructions;
    expect(build.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ['FROM', 2, 2],
      ['WORKDIR', 3, 3],
      ['COPY', 4, 8],
      ['RUN', 9, 10],
    ]);
    expect(build[2].heredocs).toEqual([{ name: 'EOF', content: 'package main\n\nfunc main() { println("hello") }\n' }]);
    expect(build[3].text).toBe('RUN go mod init hello && \\\n    go build -o /out/hello .');
  });

  it('records the COPY --from edge to the build stage', () => {
    expect(model.edges).toEqual([{ kind: 'copy', from: { kind: 'stage', stage: 0 }, to: 1, line: 13, ref: 'build' }]);
    expect(model.stages[1].dependsOn).toEqual([0]);
    expect(model.stages[1].instructions[1].flags).toEqual([{ name: 'from', value: 'build' }]);
  });
});

describe('parseDockerfile: stage references', () => {
  it('treats a numeric --from as a stage index, even next to other flags', () => {
    const model = parse('FROM a\nRUN x\nFROM b AS second\nCOPY --chown=1:1 --from=0 /x /y\n');
    expect(model.edges).toEqual([{ kind: 'copy', from: { kind: 'stage', stage: 0 }, to: 1, line: 4, ref: '0' }]);
    expect(model.stages[1].instructions[1].flags).toEqual([
      { name: 'chown', value: '1:1' },
      { name: 'from', value: '0' },
    ]);
  });

  it('links FROM <earlier stage>, case-insensitively, for two children', () => {
    const model = parse('FROM img AS Base\nFROM base AS one\nFROM BASE AS two\n');
    expect(model.stages[1].base).toEqual({ kind: 'stage', ref: 'base', stage: 0 });
    expect(model.stages[2].base).toEqual({ kind: 'stage', ref: 'BASE', stage: 0 });
    expect(model.edges.map((e) => [e.kind, e.from, e.to])).toEqual([
      ['from', { kind: 'stage', stage: 0 }, 1],
      ['from', { kind: 'stage', stage: 0 }, 2],
    ]);
    expect(model.stages[0].name).toBe('Base');
  });

  it('treats an unknown --from name as an external image', () => {
    const model = parse('FROM scratch\nCOPY --from=stagescope-test/busybox:1 /bin/busybox /bin/busybox\nADD --link --from=other /a /b\n');
    expect(model.edges.map((e) => [e.kind, e.from, e.line])).toEqual([
      ['copy', { kind: 'image', ref: 'stagescope-test/busybox:1' }, 2],
      ['copy', { kind: 'image', ref: 'other' }, 3],
    ]);
    expect(model.stages[0].dependsOn).toEqual([]);
  });

  it('records RUN --mount from= for bind and cache mounts, not for tmpfs or plain cache', () => {
    const model = parse(
      [
        'FROM a AS deps',
        'FROM a AS tools',
        'FROM b',
        'RUN --mount=type=cache,target=/root/.cache --mount=from=deps,source=/x,target=/y \\',
        '    --mount=type=cache,from=tools,target=/t --mount=type=bind,from=stagescope-test/busybox:1,target=/bb make',
        'RUN --mount=type=tmpfs,target=/tmp true',
      ].join('\n'),
    );
    expect(model.edges).toEqual([
      { kind: 'mount', from: { kind: 'stage', stage: 0 }, to: 2, line: 4, ref: 'deps' },
      { kind: 'mount', from: { kind: 'stage', stage: 1 }, to: 2, line: 4, ref: 'tools' },
      { kind: 'mount', from: { kind: 'image', ref: 'stagescope-test/busybox:1' }, to: 2, line: 4, ref: 'stagescope-test/busybox:1' },
    ]);
    expect(model.stages[2].dependsOn).toEqual([0, 1]);
    expect(model.stages[2].instructions[1].flags.map((f) => f.name)).toEqual(['mount', 'mount', 'mount', 'mount']);
  });

  it('sorts and de-duplicates dependsOn', () => {
    const model = parse('FROM a AS x\nFROM a AS y\nFROM x\nCOPY --from=y /a /a\nCOPY --from=0 /b /b\nCOPY --from=y /c /c\n');
    expect(model.stages[2].dependsOn).toEqual([0, 1]);
    expect(model.edges).toHaveLength(4);
  });
});

describe('parseDockerfile: ARGs and directives', () => {
  const text =
    'ARG GO_VERSION=1.24\nARG REPO\nFROM ${REPO:-stagescope-test}/golang:${GO_VERSION} AS build\nFROM $REPO/runtime:${GO_VERSION:+v}$GO_VERSION\n';

  it('expands global ARG defaults in FROM', () => {
    const model = parse(text);
    expect(model.globalArgs).toEqual([
      { name: 'GO_VERSION', defaultValue: '1.24', line: 1 },
      { name: 'REPO', defaultValue: null, line: 2 },
    ]);
    expect(model.stages.map((s) => s.base.ref)).toEqual(['stagescope-test/golang:1.24', '/runtime:v1.24']);
    expect(model.warnings).toEqual([]);
  });

  it('lets --build-arg override them', () => {
    const model = parse(text, { GO_VERSION: '1.23', REPO: 'mine' });
    expect(model.stages.map((s) => s.base.ref)).toEqual(['mine/golang:1.23', 'mine/runtime:v1.23']);
  });

  it('expands --platform and --from values, including automatic platform ARGs', () => {
    const model = parse('ARG SRC=build\nFROM --platform=$BUILDPLATFORM a AS build\nFROM b\nCOPY --from=${SRC} /a /a\n');
    expect(model.stages[0].platform).toBe('linux/amd64');
    expect(model.stages[1].platform).toBeNull();
    expect(model.edges[0]).toMatchObject({ from: { kind: 'stage', stage: 0 }, ref: 'build' });
  });

  it('warns about undeclared variables and unused build args', () => {
    const model = parse('FROM img:${NOPE:-1}\n', { UNUSED: 'x' });
    expect(model.stages[0].base.ref).toBe('img:1');
    expect(model.warnings.join('\n')).toMatch(/Dockerfile:1: \$NOPE is not declared/);
    expect(model.warnings.join('\n')).toMatch(/UNUSED/);
  });

  it('honours the backtick escape directive', () => {
    const model = parse('# escape=`\nFROM a AS x\nRUN echo one `\n    two\nFROM b\nCOPY --from=x C:\\src C:\\dst\n');
    expect(model.directives).toEqual({ syntax: null, syntaxLine: null, escape: '`' });
    expect(model.stages[0].instructions[1]).toMatchObject({ keyword: 'RUN', line: 3, endLine: 4 });
    expect(model.stages[1].instructions[1]).toMatchObject({ keyword: 'COPY', line: 6, text: 'COPY --from=x C:\\src C:\\dst' });
    expect(model.edges[0]).toMatchObject({ from: { kind: 'stage', stage: 0 }, line: 6 });
  });

  it('accepts lower-case keywords and CRLF line endings', () => {
    const model = parse('from a as One\r\nrun x\r\nfrom b\r\ncopy --from=one /a /b\r\n');
    expect(model.stages.map((s) => s.instructions.map((i) => i.keyword))).toEqual([
      ['FROM', 'RUN'],
      ['FROM', 'COPY'],
    ]);
    expect(model.edges[0].from).toEqual({ kind: 'stage', stage: 0 });
  });

  it('strips tabs from <<- heredocs and keeps several heredocs of one ADD', () => {
    const model = parse('FROM scratch\nADD <<-A <<B /d/\n\tx\n\tA\ny\nB\n');
    expect(model.stages[0].instructions[1].heredocs).toEqual([
      { name: 'A', content: 'x\n' },
      { name: 'B', content: 'y\n' },
    ]);
  });
});

describe('parseDockerfile: errors name the line', () => {
  it('rejects a file without FROM', () => {
    expectErrorAt('', 1, /is empty/);
    expectErrorAt('# only a comment\n', 1, /is empty/);
    expectErrorAt('ARG A=1\nARG B=2\n', 2, /no FROM/);
  });

  it('rejects instructions other than ARG before the first FROM', () => {
    expectErrorAt('ARG A=1\nRUN echo hi\nFROM a\n', 2, /RUN comes before the first FROM/);
  });

  it('rejects unknown instructions and malformed FROM lines', () => {
    expectErrorAt('FROM a\nFOO bar\n', 2, /unknown instruction "FOO"/);
    expectErrorAt('FROM a\nFROM\n', 2, /FROM needs an image/);
    expectErrorAt('FROM a AS\n', 1, /malformed/);
    expectErrorAt('FROM a AS b c\n', 1, /malformed/);
    expectErrorAt('FROM a LIKE b\n', 1, /malformed/);
    expectErrorAt('FROM a AS 1st\n', 1, /not a valid stage name/);
  });

  it('rejects a FROM that expands to nothing', () => {
    expectErrorAt('ARG BASE\nFROM a AS x\nFROM ${BASE}\n', 3, /expands to an empty image name/);
  });

  it('accepts a stage name declared twice (case-insensitively) and binds references as BuildKit does, with a warning naming both lines', () => {
    const m = parse(
      'FROM a AS build\nRUN x\nFROM build AS between\nFROM b AS Build\nFROM build AS after\nCOPY --from=BUILD /x /x\nRUN --mount=from=build,target=/m true\n',
    );
    expect(m.stages.map((s) => s.name)).toEqual(['build', 'between', 'Build', 'after']);
    // FROM: the nearest declaration above; --from and mounts: the last one.
    expect(m.stages[1].base).toMatchObject({ kind: 'stage', stage: 0 });
    expect(m.stages[3].base).toMatchObject({ kind: 'stage', stage: 2 });
    expect(m.edges.filter((e) => e.to === 3).map((e) => [e.kind, e.from])).toEqual([
      ['from', { kind: 'stage', stage: 2 }],
      ['copy', { kind: 'stage', stage: 2 }],
      ['mount', { kind: 'stage', stage: 2 }],
    ]);
    expect(m.warnings.join('\n')).toMatch(/Dockerfile:4: the stage name "Build" is already declared on line 1\./);
  });

  it('a --from between two declarations of a name refers to the later one, as BuildKit reports', () => {
    expectErrorAt(
      'FROM a AS dup\nFROM a AS between\nCOPY --from=dup /x /x\nFROM b AS dup\n',
      3,
      /COPY --from=dup refers to a later stage \(line 4\)/,
    );
  });

  it('rejects references to the stage itself or a later stage', () => {
    expectErrorAt('FROM a AS x\nCOPY --from=x /a /b\n', 2, /this same stage/);
    expectErrorAt('FROM a AS x\nCOPY --from=Y /a /b\nFROM b AS y\n', 2, /a later stage \(line 3\)/);
    expectErrorAt('FROM later AS x\nFROM b AS later\n', 1, /FROM later refers to a later stage/);
    expectErrorAt('FROM a AS node\nFROM node AS node2\nFROM node2 AS node2b\nFROM x AS y\nFROM y2 AS y2\n', 5, /this same stage/);
    expectErrorAt('FROM a\nFROM b AS m\nRUN --mount=from=m,target=/m true\n', 3, /RUN --mount from=m refers to this same stage/);
  });

  it('rejects numeric --from indices that are out of range or not earlier', () => {
    expectErrorAt('FROM a\nFROM b\nCOPY --from=5 /a /b\n', 3, /stage index 5, but the Dockerfile has only 2 stage/);
    expectErrorAt('FROM a\nCOPY --from=1 /a /b\nFROM b\n', 2, /a later stage \(line 3\)/);
    expectErrorAt('FROM a\nFROM b\nCOPY --from=1 /a /b\n', 3, /this same stage/);
  });
});

describe('readDockerfile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stagescope-dockerfile-'));
    await writeFile(join(dir, 'Dockerfile'), GO_HELLO);
    await writeFile(join(dir, 'empty.Dockerfile'), '  \n\n');
    await mkdir(join(dir, 'folder'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads and parses a file, keeping its path', async () => {
    const model = await readDockerfile(join(dir, 'Dockerfile'), { platform: 'linux/amd64' });
    expect(model.path).toBe(join(dir, 'Dockerfile'));
    expect(model.stages).toHaveLength(2);
  });

  it.each([
    ['missing', 'nope', /does not exist/],
    ['a folder', 'folder', /is not a file/],
    ['empty', 'empty.Dockerfile', /is empty/],
  ])('fails clearly when the file is %s', async (_what, name, message) => {
    const path = join(dir, name);
    const err = await readDockerfile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as StageScopeError).code).toBe('dockerfile');
    expect((err as StageScopeError).message).toContain(path);
    expect((err as StageScopeError).message).toMatch(message);
    expect((err as StageScopeError).hint).toBeTruthy();
  });
});
