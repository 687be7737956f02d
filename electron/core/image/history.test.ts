import { describe, expect, it } from 'vitest';
import { instructionText, layerCreatedBy, layerHistory, layerSummaries } from './history.ts';
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
