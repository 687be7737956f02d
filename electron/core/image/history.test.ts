import { describe, expect, it } from 'vitest';
import { historyKeyword, historyLines, instructionText, layerCreatedBy, layerHistory, layerLines, layerSummaries } from './history.ts';
import { buildTree } from './tree.ts';
import type { ImageRecord } from './types.ts';
import { file, layer } from './test-helpers.ts';

function image(history: { created_by?: string; empty_layer?: boolean }[], layers: string[]): ImageRecord {
  return { id: 'sha256:img', repoTags: [], layers, config: { rootfs: { type: 'layers', diff_ids: layers }, history } };
}

const img = image(
  [
    { created_by: 'ADD rootfs.tar / # buildkit' },
    { created_by: 'ENV PATH=/go/bin', empty_layer: true },
    { created_by: 'WORKDIR /src # buildkit' },
    { created_by: 'RUN /bin/sh -c go build -o /out/app . # buildkit' },
    { created_by: 'CMD ["/out/app"]', empty_layer: true },
  ],
  ['sha256:l0', 'sha256:l1', 'sha256:l2'],
);

describe('layerHistory', () => {
  it('maps non-empty history entries onto diff_ids in order', () => {
    expect(layerHistory(img).map((s) => [s.diffId, s.layerIndex, s.emptyLayer])).toEqual([
      ['sha256:l0', 0, false],
      [null, null, true],
      ['sha256:l1', 1, false],
      ['sha256:l2', 2, false],
      [null, null, true],
    ]);
    expect(layerCreatedBy(img)).toEqual(['ADD rootfs.tar / # buildkit', 'WORKDIR /src # buildkit', 'RUN /bin/sh -c go build -o /out/app . # buildkit']);
  });

  it('gives layers without history an empty step', () => {
    const noHistory = image([], ['sha256:a', 'sha256:b']);
    expect(layerHistory(noHistory)).toEqual([
      { diffId: 'sha256:a', layerIndex: 0, createdBy: '', emptyLayer: false },
      { diffId: 'sha256:b', layerIndex: 1, createdBy: '', emptyLayer: false },
    ]);
  });

  it('leaves surplus non-empty entries without a layer', () => {
    const surplus = image([{ created_by: 'a' }, { created_by: 'b' }], ['sha256:a']);
    expect(layerHistory(surplus).map((s) => s.diffId)).toEqual(['sha256:a', null]);
  });
});

describe('instructionText', () => {
  it('reads BuildKit and classic created_by strings as instructions', () => {
    expect(instructionText('RUN /bin/sh -c go build -o /out/app . # buildkit')).toBe('RUN go build -o /out/app .');
    expect(instructionText('COPY /out/app /app # buildkit')).toBe('COPY /out/app /app');
    expect(instructionText('/bin/sh -c #(nop)  CMD ["/app"]')).toBe('CMD ["/app"]');
    expect(instructionText('/bin/sh -c #(nop) COPY file:abc in /app ')).toBe('COPY file:abc in /app');
    expect(instructionText('/bin/sh -c apk add curl')).toBe('RUN apk add curl');
    expect(instructionText('|2 A=1 B= /bin/sh -c make')).toBe('RUN make');
    // BuildKit on Engine 26 with a stage ARG in effect.
    expect(instructionText('RUN |1 NAME=x /bin/sh -c echo hi > /src/hello # buildkit')).toBe('RUN echo hi > /src/hello');
    expect(historyKeyword('/bin/sh -c #(nop) COPY file:2ad98 in /app ')).toBe('COPY');
    expect(historyKeyword('')).toBe('');
  });
});

// History written by Engine 26.1 for this Dockerfile (BuildKit, then the classic builder):
//  1 FROM stagescope-test/busybox:1 AS build   7 FROM stagescope-test/busybox:1
//  2 ARG NAME=x                                8 LABEL x=y
//  3 ENV A=b                                   9 COPY --from=build --chmod=755 /out/app /app
//  4 WORKDIR /src                             10 COPY --from=build /src/ /srcs/
//  5 RUN echo hi > /src/hello && ...          11 ADD Dockerfile /df
//  6 COPY Dockerfile /src/                    12 USER 1000
//                                             13 CMD ["/app"]
const kw = (pairs: [string, number][]) => pairs.map(([keyword, line]) => ({ keyword, line }));
const buildStage = kw([['FROM', 1], ['ARG', 2], ['ENV', 3], ['WORKDIR', 4], ['RUN', 5], ['COPY', 6]]);
const finalStage = kw([['FROM', 7], ['LABEL', 8], ['COPY', 9], ['COPY', 10], ['ADD', 11], ['USER', 12], ['CMD', 13]]);

describe('layerLines', () => {
  it('maps a BuildKit build stage, WORKDIR making a layer and ARG/ENV none', () => {
    const built = image(
      [
        { created_by: '' },
        { created_by: 'ARG NAME=x', empty_layer: true },
        { created_by: 'ENV A=b', empty_layer: true },
        { created_by: 'WORKDIR /src' },
        { created_by: 'RUN |1 NAME=x /bin/sh -c echo hi > /src/hello && mkdir -p /out && cp /src/hello /out/app # buildkit' },
        { created_by: 'COPY Dockerfile /src/ # buildkit' },
      ],
      ['sha256:base', 'sha256:wd', 'sha256:run', 'sha256:copy'],
    );
    expect(layerLines(built, buildStage)).toEqual([null, 4, 5, 6]);
  });

  it('maps BuildKit and classic final stages, COPY --from included', () => {
    const layers = ['sha256:base', 'sha256:app', 'sha256:srcs', 'sha256:df'];
    const buildkit = image(
      [
        { created_by: '' },
        { created_by: 'LABEL x=y', empty_layer: true },
        { created_by: 'COPY --chmod=755 /out/app /app # buildkit' },
        { created_by: 'COPY /src/ /srcs/ # buildkit' },
        { created_by: 'ADD Dockerfile /df # buildkit' },
        { created_by: 'USER 1000', empty_layer: true },
        { created_by: 'CMD ["/app"]', empty_layer: true },
      ],
      layers,
    );
    expect(layerLines(buildkit, finalStage)).toEqual([null, 9, 10, 11]);
    const classic = image(
      [
        { created_by: '' },
        { created_by: '/bin/sh -c #(nop)  LABEL x=y', empty_layer: true },
        { created_by: '/bin/sh -c #(nop) COPY file:2ad9891a917b in /app ' },
        { created_by: '/bin/sh -c #(nop) COPY dir:38c0cf83039a in /srcs/ ' },
        { created_by: '/bin/sh -c #(nop) ADD file:a7f523b18e54 in /df ' },
        { created_by: '/bin/sh -c #(nop)  USER 1000', empty_layer: true },
        { created_by: '/bin/sh -c #(nop)  CMD ["/app"]', empty_layer: true },
      ],
      layers,
    );
    expect(layerLines(classic, finalStage)).toEqual([null, 9, 10, 11]);
  });

  it('leaves a base stage’s steps unmapped when a stage is built FROM another', () => {
    const steps = layerHistory(image([{ created_by: 'RUN /bin/sh -c make # buildkit' }, { created_by: 'COPY a b # buildkit' }], ['sha256:a', 'sha256:b']));
    expect(historyLines(steps, kw([['FROM', 10], ['COPY', 11]]))).toEqual([null, 11]);
  });
});

describe('layerSummaries', () => {
  it('combines diff ids, history, sizes, change counts and lines', () => {
    const layers = [layer([file('/a', 'aaaa')]), layer([file('/a', 'bb'), file('/src/x', 'x')]), layer([], { whiteouts: ['/a'] })];
    const { changes } = buildTree(layers);
    expect(layerSummaries(img, changes, [1, 3])).toEqual([
      { index: 0, diffId: 'sha256:l0', size: 4, createdBy: 'ADD rootfs.tar / # buildkit', line: 1, added: 1, modified: 0, removed: 0 },
      { index: 1, diffId: 'sha256:l1', size: 3, createdBy: 'WORKDIR /src # buildkit', line: 3, added: 2, modified: 1, removed: 0 },
      { index: 2, diffId: 'sha256:l2', size: 0, createdBy: 'RUN /bin/sh -c go build -o /out/app . # buildkit', line: null, added: 0, modified: 0, removed: 1 },
    ]);
  });
});
