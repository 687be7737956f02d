import { describe, expect, it } from 'vitest';
import { parseDockerfile } from './parse.ts';
import { historyKeyword, matchHistoryToInstructions } from './history.ts';

// The Dockerfile and the created_by strings below were observed on Docker Engine 26.1
// (`docker history --no-trunc`, oldest first) with a tiny imported base image.
const BUILDKIT_DOCKERFILE = `ARG BASE=stagescope-test/dfmodel-sh:1
FROM \${BASE} AS build
ARG X=1
ENV A=b
WORKDIR /src
COPY hello.txt /src/
COPY <<EOF /src/main.go
package main
EOF
RUN echo built > /out.txt && test -f /src/main.go
RUN --mount=type=cache,target=/cache echo cached > /m.txt
RUN <<EOT
echo heredoc > /h.txt
EOT
ADD hello.txt /added.txt
RUN ["/bin/sh", "-c", "echo exec > /e.txt"]
FROM scratch
COPY --from=build /out.txt /out.txt
COPY --chown=1:1 --from=0 /src/hello.txt /h
USER 1
LABEL a=b
EXPOSE 80
ENTRYPOINT ["/bin/hello"]
CMD ["x"]
`;

const BUILDKIT_BUILD_HISTORY = [
  'ARG X=1',
  'ENV A=b',
  'WORKDIR /src',
  'COPY hello.txt /src/ # buildkit',
  'COPY <<EOF /src/main.go # buildkit',
  'RUN |1 X=1 /bin/sh -c echo built > /out.txt && test -f /src/main.go # buildkit',
  'RUN |1 X=1 /bin/sh -c echo cached > /m.txt # buildkit',
  'RUN |1 X=1 /bin/sh -c echo heredoc > /h.txt\n # buildkit',
  'ADD hello.txt /added.txt # buildkit',
  'RUN |1 X=1 /bin/sh -c echo exec > /e.txt # buildkit',
];
const BUILDKIT_FINAL_HISTORY = [
  'COPY /out.txt /out.txt # buildkit',
  'COPY --chown=1:1 /src/hello.txt /h # buildkit',
  'USER 1',
  'LABEL a=b',
  'EXPOSE map[80/tcp:{}]',
  'ENTRYPOINT ["/bin/hello"]',
  'CMD ["x"]',
];

// The classic builder cannot do heredocs or mounts: the same file without them.
const CLASSIC_DOCKERFILE = `ARG BASE=stagescope-test/dfmodel-sh:1
FROM \${BASE} AS build
ARG X=1
ENV A=b
WORKDIR /src
COPY hello.txt /src/
RUN echo built > /out.txt
ADD hello.txt /added.txt
RUN ["/bin/sh", "-c", "echo exec > /e.txt"]
FROM scratch
COPY --from=build /out.txt /out.txt
COPY --chown=1:1 --from=0 /src/hello.txt /h
USER 1
LABEL a=b
EXPOSE 80
ENTRYPOINT ["/bin/hello"]
CMD ["x"]
`;
const CLASSIC_BUILD_HISTORY = [
  '/bin/sh -c #(nop)  ARG X=1',
  '/bin/sh -c #(nop)  ENV A=b',
  '/bin/sh -c #(nop) WORKDIR /src',
  '/bin/sh -c #(nop) COPY file:c50ecf0f8081044924e199cfe6cfd18d0c9dd4d16be07790bb24f7088112b98e in /src/ ',
  '|1 X=1 /bin/sh -c echo built > /out.txt',
  '/bin/sh -c #(nop) ADD file:c50ecf0f8081044924e199cfe6cfd18d0c9dd4d16be07790bb24f7088112b98e in /added.txt ',
  '|1 X=1 /bin/sh -c echo exec > /e.txt',
];
const CLASSIC_FINAL_HISTORY = [
  '/bin/sh -c #(nop) COPY file:71ff0e915c64c8e5a3539a99c9ec4190073a5f654452a6e1a78de268115715ac in /out.txt ',
  '/bin/sh -c #(nop) COPY --chown=1:1 file:2b75bfcfce156db2defd4c92a98d39151bb12a71691415f32464225ab08184c6 in /h ',
  '/bin/sh -c #(nop)  USER 1',
  '/bin/sh -c #(nop)  LABEL a=b',
  '/bin/sh -c #(nop)  EXPOSE 80',
  '/bin/sh -c #(nop)  ENTRYPOINT ["/bin/hello"]',
  '/bin/sh -c #(nop)  CMD ["x"]',
];

describe('historyKeyword', () => {
  it.each([
    ['RUN |1 X=1 /bin/sh -c echo heredoc > /h.txt\n # buildkit', 'RUN'],
    ['COPY <<EOF /src/main.go # buildkit', 'COPY'],
    ['EXPOSE map[80/tcp:{}]', 'EXPOSE'],
    ['/bin/sh -c #(nop)  ENV A=b', 'ENV'],
    ['/bin/sh -c #(nop) ADD file:abc in /x ', 'ADD'],
    ['|1 X=1 /bin/sh -c echo built > /out.txt', 'RUN'],
    ['/bin/sh -c go build -o /out/hello .', 'RUN'],
    ['/bin/sh -c COPY is a word here', 'RUN'],
    ['', null],
  ])('%j -> %s', (createdBy, keyword) => {
    expect(historyKeyword(createdBy)).toBe(keyword);
  });
});

describe('matchHistoryToInstructions', () => {
  it('maps BuildKit history to Dockerfile lines', () => {
    const model = parseDockerfile(BUILDKIT_DOCKERFILE, { path: 'Dockerfile' });
    expect(matchHistoryToInstructions(model.stages[0], BUILDKIT_BUILD_HISTORY)).toEqual([3, 4, 5, 6, 7, 10, 11, 12, 15, 16]);
    expect(matchHistoryToInstructions(model.stages[1], BUILDKIT_FINAL_HISTORY)).toEqual([18, 19, 20, 21, 22, 23, 24]);
  });

  it('maps classic-builder history to Dockerfile lines', () => {
    const model = parseDockerfile(CLASSIC_DOCKERFILE, { path: 'Dockerfile' });
    expect(matchHistoryToInstructions(model.stages[0], CLASSIC_BUILD_HISTORY)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(matchHistoryToInstructions(model.stages[1], CLASSIC_FINAL_HISTORY)).toEqual([11, 12, 13, 14, 15, 16, 17]);
  });

  it('gives null to entries no remaining instruction fits, without losing its place', () => {
    const model = parseDockerfile('FROM a\nWORKDIR /w\nRUN x\nCOPY a b\n', { path: 'Dockerfile' });
    expect(
      matchHistoryToInstructions(model.stages[0], [
        '',
        'WORKDIR /w',
        'ENV Z=1',
        'RUN /bin/sh -c x # buildkit',
        'COPY a b # buildkit',
        'COPY c d # buildkit',
      ]),
    ).toEqual([null, 2, null, 3, 4, null]);
  });
});
