import { describe, expect, it } from 'vitest';
import {
  diffTotals,
  formatBytes,
  formatCount,
  formatDelta,
  formatDuration,
  formatMode,
  formatPercent,
  formatPercentDelta,
  formatSaving,
  plural,
  stageLabel,
} from './format.ts';

describe('format', () => {
  it('prints sizes in decimal units, like docker, with the minus sign', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.50 kB');
    expect(formatBytes(1_834_000)).toBe('1.83 MB');
    expect(formatBytes(812_000_000)).toBe('812 MB');
    expect(formatBytes(-2_000)).toBe('\u22122.00 kB');
    expect(formatDelta(2_048)).toBe('+2.05 kB');
    expect(formatDelta(-20)).toBe('\u221220 B');
    expect(formatDelta(0)).toBe('0 B');
  });
  it('prints counts with thousands separators and plurals', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(-5)).toBe('\u22125');
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(12_345, 'file')).toBe('12,345 files');
    expect(plural(2, 'match', 'matches')).toBe('2 matches');
  });
  it('prints percentages so that a difference is never rounded away', () => {
    expect(formatPercent(0.996)).toBe('99.6 %');
    expect(formatPercent(1)).toBe('100.0 %');
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatPercent(0.9996)).toBe('99.96 %');
    expect(formatPercent(0.99999)).toBe('99.999 %');
    expect(formatPercent(0.9999999)).toBe('99.9999 %');
    expect(formatPercent(0.0001)).toBe('0.01 %');
    expect(formatPercent(-0.996)).toBe('\u221299.6 %');
    expect(formatPercentDelta(0.25)).toBe('+25.0 %');
    expect(formatPercentDelta(-0.5)).toBe('\u221250.0 %');
    expect(formatPercentDelta(0)).toBe('0.0 %');
    expect(formatSaving(548_000_000, 550_200_000)).toBe('\u221299.6 %, 548 MB');
  });
  it('sums diff bytes per kind, so each total matches its count', () => {
    const t = diffTotals({ added: [], removed: [{ size: 5 }], modified: [{ before: 10, after: 21 }] });
    expect(t).toEqual({ added: 0, removed: 5, modified: 11 });
  });
  it('prints modes like ls, hardlinks as h', () => {
    expect(formatMode(0o755, 'dir')).toBe('drwxr-xr-x');
    expect(formatMode(0o4755, 'file')).toBe('-rwsr-xr-x');
    expect(formatMode(0o1644, 'file')).toBe('-rw-r--r-T');
    expect(formatMode(0o1777, 'dir')).toBe('drwxrwxrwt');
    expect(formatMode(0o777, 'symlink')).toBe('lrwxrwxrwx');
    expect(formatMode(0o644, 'hardlink')).toBe('hrw-r--r--');
  });
  it('prints durations and labels unnamed stages by index', () => {
    expect(formatDuration(950)).toBe('950 ms');
    expect(formatDuration(12_300)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(stageLabel({ index: 2, name: null })).toBe('stage-2');
    expect(stageLabel({ index: 0, name: 'build' })).toBe('build');
  });
});
