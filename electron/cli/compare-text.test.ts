import { describe, expect, it } from 'vitest';
import type { CompareReport } from '../../shared/history.ts';
import { compareMarkdown, compareText, largestGrowths } from './compare-text.ts';
import { parseCommand } from './args.ts';

const empty = { added: [], removed: [], modified: [], moved: [], layersChanged: [], filesCompared: true, baselineIndex: 0 };
const hostile = '/x`y|z<b>\u001b[31m';

const report: CompareReport = {
  baseline: { id: '20261201T104200000Z-abc123', time: '2026-12-01T10:42:00.000Z' },
  current: { id: null, time: '2026-12-02T10:42:00.000Z' },
  dockerfile: '/p/Dockerfile',
  target: 'final',
  stages: [
    {
      ...empty,
      index: 0,
      name: 'build',
      status: 'changed',
      sizeBefore: 1000,
      sizeAfter: 1500,
      added: Array.from({ length: 12 }, (_, i) => ({ path: `/f${i}`, size: 10 * (i + 1), line: 3 })),
    },
    {
      ...empty,
      index: 1,
      name: 'final',
      status: 'changed',
      sizeBefore: 200,
      sizeAfter: 100,
      added: [{ path: hostile, size: 5000, line: 9 }],
      moved: [{ from: '/usr/bin/a', to: '/bin/a', size: 3, line: 7 }],
    },
    { ...empty, index: 2, name: 'gone', status: 'removed', sizeBefore: 50, sizeAfter: null, filesCompared: false },
  ],
  final: { name: 'final', sizeBefore: 200, sizeAfter: 100 },
  warnings: [],
};

describe('compare output', () => {
  it('ranks the 10 largest growths over all stages', () => {
    const g = largestGrowths(report);
    expect(g).toHaveLength(10);
    expect(g[0]).toMatchObject({ path: hostile, bytes: 5000, line: 9 });
    expect(g[1]).toMatchObject({ path: '/f11', bytes: 120 });
  });

  it('writes Markdown with the headline delta and percent, a table, collapsed details, and no markup or escape codes from file names', () => {
    const md = compareMarkdown(report);
    expect(md.split('\n')[0]).toBe('### StageScope: final is 100 B (\u2212100 B (\u221250.0 %))');
    expect(md).toContain('| gone | removed | 50 B | – | – |');
    expect(md).toContain("| +5.00 kB | final | `/x'y\\|z<b>\\x1b[31m` | 9 |");
    expect(md).not.toContain('\u001b');
    // Outside code spans and the fenced diff block, a name's markup would render: it never is.
    const prose = md.replace(/```diff[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
    expect(prose).not.toContain('<b>');
    expect(md).toContain('<details><summary>Stage final: +1 -0 ~0 >1</summary>');
    expect(md).toContain('> /usr/bin/a -> /bin/a (3 B, line 7)');
  });

  it('prints a terminal summary with escaped names', () => {
    const text = compareText(report);
    expect(text).toContain('Final image final: 200 B -> 100 B, \u2212100 B (\u221250.0 %)');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('>  /usr/bin/a -> /bin/a');
  });
});

describe('history command parsing', () => {
  it('parses compare, why, diff-images and left-behind, and refuses bad options in one sentence', () => {
    expect(parseCommand(['compare', '.', '--markdown', '--ignore', 'owner,mode', '--target', 'final'])).toMatchObject({
      kind: 'compare',
      format: 'markdown',
      ignore: ['owner', 'mode'],
      baseline: 'last',
      build: { target: 'final' },
    });
    expect(parseCommand(['why', '.', 'final', '/bin/hello', '--json'])).toMatchObject({
      kind: 'why',
      stage: 'final',
      file: '/bin/hello',
      json: true,
    });
    expect(parseCommand(['diff-images', 'a.tar', 'img:1'])).toMatchObject({ kind: 'diff-images', a: 'a.tar', b: 'img:1', ignore: [] });
    expect(parseCommand(['left-behind', '.', '--top', '3'])).toMatchObject({ kind: 'left-behind', top: 3 });
    expect(parseCommand(['diff', '.', 'a', 'b', '--ignore', 'link'])).toMatchObject({ kind: 'diff', ignore: ['link'] });
    expect(() => parseCommand(['compare', '.', '--json', '--markdown'])).toThrow('--json and --markdown exclude each other.');
    expect(() => parseCommand(['compare', '.', '--ignore', 'size'])).toThrow(
      '--ignore takes owner, mode, link (comma-separated), not "size".',
    );
    expect(parseCommand(['diff', '.', 'a', 'b', '--include', 'mtime'])).toMatchObject({ kind: 'diff', include: ['mtime'], ignore: [] });
    expect(parseCommand(['compare', '.', '--include', 'mtime,mtime'])).toMatchObject({ kind: 'compare', include: ['mtime'] });
    expect(parseCommand(['diff-images', 'a', 'b', '--include', 'mtime'])).toMatchObject({ kind: 'diff-images', include: ['mtime'] });
    expect(parseCommand(['diff-images', 'a', 'b'])).toMatchObject({ include: [] });
    expect(() => parseCommand(['diff', '.', 'a', 'b', '--include', 'ctime'])).toThrow('--include takes mtime, not "ctime".');
    expect(() => parseCommand(['left-behind', '.', '--top', '0'])).toThrow(/--top must be a whole number/);
  });
});
