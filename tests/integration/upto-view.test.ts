// The Stage tab's "image up to this layer" view through a real session: the merged tree as of a
// layer, with that layer's additions marked and its removals shown as ghosts.
import { afterAll, describe, expect, it } from 'vitest';
import { openProject } from '../../electron/core/project/session.ts';
import { fixtureDir } from '../support/fixtures.ts';
import { cleanupFixture, engine } from './harness.ts';

afterAll(() => cleanupFixture('from-stage'));

describe('tree.rows view upto', () => {
  it('shows stage right as of its top layer: files from below, the layer’s addition and removal', async () => {
    await engine();
    const session = await openProject(fixtureDir('from-stage'));
    const report = await session.analyze({ dockerfile: 'Dockerfile' });
    const right = report.stages[2];
    expect(right.name).toBe('right');
    const top = right.layers.length - 1;
    const query = { stage: 2, layer: top, expanded: ['/app'], filter: '/app/' };
    const change = async (view: 'layer' | 'upto') => {
      const { rows } = await session.treeRows({ ...query, view });
      return Object.fromEntries(rows.map((r) => [r.path, r.change]));
    };
    expect(await change('upto')).toMatchObject({
      '/app/shared.txt': 'unchanged',
      '/app/right.txt': 'added',
      '/app/base.txt': 'removed',
    });
    // The layer's own view lacks what it did not touch; the up-to view of the layer below has
    // base.txt as a plain file and no right.txt.
    expect(await change('layer')).not.toHaveProperty('/app/shared.txt');
    const { rows: below } = await session.treeRows({ ...query, layer: top - 1, view: 'upto' });
    expect(below.map((r) => r.path)).toContain('/app/base.txt');
    expect(below.map((r) => r.path)).not.toContain('/app/right.txt');
    expect(below.every((r) => r.change !== 'removed')).toBe(true);
  });
});
