// Canned build-over-build data for component tests (issue 11), matching test/fixtures.ts:
// stage 0 (builder) grew by 1 MB since the last build, stage 2 (the final stage) shrank by 10 kB.
import type { CompareReport, SnapshotSummary, WhyReport } from '../../../shared/history.ts';
import { report, XSS_NAME } from './fixtures.ts';

export const BASELINE_ID = '20261201T104200000Z-abc123';
export const CURRENT_ID = '20261202T090000000Z-def456';

export const snapshots: SnapshotSummary[] = [
  { id: CURRENT_ID, time: '2026-12-02T09:00:00.000Z', target: 'stage-2', finalSize: report.stages[2].image!.size, stages: [] },
  { id: BASELINE_ID, time: '2026-12-01T10:42:00.000Z', target: 'stage-2', finalSize: report.stages[2].image!.size + 10_000, stages: [] },
];

const empty = { added: [], removed: [], modified: [], moved: [], layersChanged: [], filesCompared: true };

export const compare: CompareReport = {
  baseline: { id: BASELINE_ID, time: '2026-12-01T10:42:00.000Z' },
  current: { id: CURRENT_ID, time: '2026-12-02T09:00:00.000Z' },
  dockerfile: 'Dockerfile',
  target: 'stage-2',
  stages: [
    {
      ...empty,
      index: 0,
      name: 'builder',
      status: 'changed',
      baselineIndex: 0,
      sizeBefore: report.stages[0].image!.size - 1_000_000,
      sizeAfter: report.stages[0].image!.size,
      added: [{ path: '/out/big.bin', size: 1_000_000, line: 2 }],
    },
    {
      ...empty,
      index: 2,
      name: null,
      status: 'changed',
      baselineIndex: 2,
      sizeBefore: report.stages[2].image!.size + 10_000,
      sizeAfter: report.stages[2].image!.size,
      removed: [{ path: '/old.txt', size: 10_000 }],
      moved: [{ from: '/usr/bin/app', to: '/app', size: 5, line: 7 }],
      modified: [{ path: `/${XSS_NAME}`, before: 1, after: 2, reasons: ['content'], line: 7 }],
    },
  ],
  final: { name: 'stage-2', sizeBefore: report.stages[2].image!.size + 10_000, sizeAfter: report.stages[2].image!.size },
  warnings: [],
};

export const why: WhyReport = {
  stage: { index: 2, name: null },
  path: '/app',
  steps: [
    {
      stage: { index: 0, name: 'builder' },
      layer: 3,
      line: 2,
      instruction: 'RUN go build -o /out/app .',
      change: 'added',
      size: 2_097_152,
      hash: 'ab'.repeat(32),
    },
    {
      stage: { index: 2, name: null },
      layer: 0,
      line: 7,
      instruction: 'COPY --from=builder /out/app /app',
      change: 'added',
      size: 2_097_152,
      hash: 'ab'.repeat(32),
      via: { copyLine: 7, fromStage: { index: 0, name: 'builder' }, sourcePath: '/out/app' },
    },
  ],
};
