// Canned data for component tests: a three-stage Dockerfile (builder from an external image,
// an unused debug stage, a scratch final stage with COPY --from=builder) and its report.
import type { DockerfileModel, Report, StageReport, TargetPlan } from '../../../shared/model.ts';
import type { OpenedImageInfo } from '../../../shared/api.ts';

export const XSS_NAME = '<img src=x onerror=alert(1)>';

export const model: DockerfileModel = {
  path: 'Dockerfile',
  directives: { syntax: null, syntaxLine: null, escape: '\\' },
  globalArgs: [],
  warnings: [],
  stages: [
    {
      index: 0,
      name: 'builder',
      base: { kind: 'image', ref: 'stagescope-test/golang:1.24' },
      platform: null,
      line: 1,
      endLine: 3,
      dependsOn: [],
      instructions: [{ keyword: 'RUN', line: 2, endLine: 2, text: 'RUN go build -o /out/app .', flags: [], heredocs: [], args: null }],
    },
    {
      index: 1,
      name: 'debug',
      base: { kind: 'stage', ref: 'builder', stage: 0 },
      platform: null,
      line: 4,
      endLine: 5,
      dependsOn: [0],
      instructions: [],
    },
    {
      index: 2,
      name: null,
      base: { kind: 'scratch', ref: null },
      platform: null,
      line: 6,
      endLine: 7,
      dependsOn: [0],
      instructions: [
        {
          keyword: 'COPY',
          line: 7,
          endLine: 7,
          text: 'COPY --from=builder /out/app /app',
          flags: [{ name: 'from', value: 'builder' }],
          heredocs: [],
          args: ['/out/app', '/app'],
        },
      ],
    },
  ],
  edges: [
    { kind: 'from', from: { kind: 'image', ref: 'stagescope-test/golang:1.24' }, to: 0, line: 1 },
    { kind: 'from', from: { kind: 'stage', stage: 0 }, to: 1, line: 4 },
    { kind: 'copy', from: { kind: 'stage', stage: 0 }, to: 2, line: 7 },
  ],
};

export const plan: TargetPlan = { target: 2, buildkit: [0, 2], classic: [0, 1, 2] };

const emptyEfficiency = { score: 1, wastedBytes: 0, paths: [] };

function stage(index: number, name: string | null, size: number | null, needed: boolean, dependsOn: number[]): StageReport {
  return {
    index,
    name,
    base: model.stages[index].base,
    dependsOn,
    needed,
    built: size !== null,
    tag: size !== null ? `stagescope/x:${index}` : null,
    image: size !== null ? { id: `sha256:${index}`, size } : null,
    layers:
      size !== null
        ? [{ index: 0, diffId: `sha256:l${index}`, size, createdBy: 'COPY /app', line: 7, added: 1, modified: 0, removed: 0 }]
        : [],
    fileCount: 10,
    totalBytes: size ?? 0,
    efficiency: emptyEfficiency,
    failure: null,
  };
}

export const report: Report = {
  dockerfile: 'Dockerfile',
  engine: { version: '26.1.5', apiVersion: '1.45' },
  builder: 'buildkit',
  target: 'stage-2',
  targetIndex: 2,
  warnings: [],
  stages: [
    stage(0, 'builder', 300 * 1024 * 1024, true, []),
    stage(1, 'debug', null, false, [0]),
    stage(2, null, 2 * 1024 * 1024, true, [0]),
  ],
  copies: [
    {
      stage: 2,
      line: 7,
      instruction: 'COPY --from=builder /out/app /app',
      from: { kind: 'stage', ref: 'builder', stage: 0 },
      layer: { index: 0, diffId: 'sha256:l2' },
      files: [
        { path: '/app', sourcePath: '/out/app', size: 2 * 1024 * 1024, sourceResolved: true, identical: true },
        { path: `/${XSS_NAME}`, sourcePath: `/out/${XSS_NAME}`, size: 5, sourceResolved: true, identical: false },
      ],
      bytes: 2 * 1024 * 1024 + 5,
    },
  ],
  sizes: { final: 2 * 1024 * 1024, largestBuilder: { stage: 0, size: 300 * 1024 * 1024 }, saved: 298 * 1024 * 1024 },
};

/** An image opened by reference ('image.open'); its label is data from outside, rendered as text. */
export const openedImage: OpenedImageInfo = {
  id: '0123456789ab',
  label: `oci:/tmp/layout:${XSS_NAME}`,
  imageId: 'sha256:feedfacefeedfacefeedface',
  platform: 'linux/arm64/v8',
  inEngine: false,
  repoTags: [],
  layers: [
    { index: 0, diffId: 'sha256:i0', size: 1000, createdBy: 'ADD rootfs.tar /', line: null, added: 5, modified: 0, removed: 0 },
    { index: 1, diffId: 'sha256:i1', size: 20, createdBy: 'RUN echo hi > /etc/motd', line: null, added: 1, modified: 0, removed: 0 },
  ],
  fileCount: 6,
  totalBytes: 1020,
  efficiency: { score: 1, wastedBytes: 0, paths: [] },
};
