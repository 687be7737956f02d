import { describe, expect, it } from 'vitest';
import { DiffCache } from './diff-cache.ts';
import type { DiffResult } from '../../../shared/model.ts';

const many = 100_000;
const big: DiffResult = {
  added: [],
  removed: Array.from({ length: many }, (_, i) => ({ path: `/usr/share/f${i}`, size: 2, type: 'file' as const })),
  modified: [],
  bytesAdded: 0,
  bytesRemoved: 2 * many,
};

function counting(result: DiffResult = big) {
  const asked: unknown[] = [];
  const cache = new DiffCache(async (pair) => {
    asked.push(pair);
    if ('stage' in pair.a && pair.a.stage === 9) throw new Error('not built');
    return result;
  });
  return { cache, asked };
}

describe('DiffCache', () => {
  it('diffs a pair of sides once for its summary and every page, kind and filter', async () => {
    const { cache, asked } = counting();
    const pair = { a: { stage: 0 }, b: { stage: 1 } };
    const [summary, first] = await Promise.all([cache.summary(pair), cache.rows({ ...pair, expanded: [], offset: 0, limit: 200 })]);
    expect(summary.counts.removed).toBe(many);
    // 100k changes: one folder row crosses, not the changes.
    expect(first).toEqual({ total: 1, rows: [expect.objectContaining({ path: '/usr', size: -2 * many, childCount: 1 })] });
    const page = await cache.rows({ ...pair, list: true, show: 'removed', expanded: 'all', offset: 500, limit: 200 });
    expect([page.total, page.rows.length, page.rows[0].change]).toEqual([many, 200, 'removed']);
    await cache.rows({ ...pair, expanded: 'all', filter: 'f99999', limit: 10 });
    expect(asked).toHaveLength(1);
    // Other options hide other things: another diff.
    await cache.summary({ ...pair, ignore: ['mode'] });
    expect(asked).toHaveLength(2);
    cache.clear();
    await cache.summary(pair);
    expect(asked).toHaveLength(3);
  });

  it('does not keep a diff that failed', async () => {
    const { cache, asked } = counting();
    const pair = { a: { stage: 9 }, b: { stage: 1 } };
    await expect(cache.summary(pair)).rejects.toThrow('not built');
    await expect(cache.summary(pair)).rejects.toThrow('not built');
    expect(asked).toHaveLength(2);
  });
});
