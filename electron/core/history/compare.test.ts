import { describe, expect, it } from 'vitest';
import type { SnapshotStage } from '../../../shared/history.ts';
import { lastWriters, matchStages } from './compare.ts';
import { buildTree } from '../image/apply-layer.ts';
import { file, layer } from '../image/testing/layers.ts';

const base = (index: number, name: string | null): SnapshotStage => ({
  index,
  name,
  imageId: `sha256:${index}`,
  size: 1,
  fileCount: 0,
  totalBytes: 0,
  layers: [],
});

describe('matchStages', () => {
  it('matches by name (case-insensitive) first, then by index among the rest', () => {
    const m = matchStages(
      [
        { index: 0, name: 'deps' },
        { index: 1, name: 'Build' },
        { index: 2, name: null },
      ],
      [base(0, 'build'), base(1, 'deps'), base(2, null)],
    );
    expect([...m].map(([i, b]) => [i, b.index])).toEqual([
      [0, 1],
      [1, 0],
      [2, 2],
    ]);
  });

  it('does not give a stage a baseline stage whose name lives on elsewhere; a new stage is unmatched', () => {
    const m = matchStages(
      [
        { index: 0, name: 'tools' },
        { index: 1, name: 'final' },
      ],
      [base(0, 'final')],
    );
    expect([...m].map(([i, b]) => [i, b.index])).toEqual([[1, 0]]);
  });
});

describe('lastWriters', () => {
  it('gives each path the top layer that added or modified it', () => {
    const { changes } = buildTree([layer([file('/a', 'x'), file('/b', 'y')]), layer([file('/a', 'z')])]);
    const w = lastWriters(changes);
    expect([w.get('/a'), w.get('/b')]).toEqual([1, 0]);
  });
});
