import { describe, expect, it } from 'vitest';
import { formatBytes, formatDelta, formatDuration, formatMode, stageLabel } from './format.ts';

describe('format', () => {
  it('prints sizes in decimal units, like docker', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.50 kB');
    expect(formatBytes(1_834_000)).toBe('1.83 MB');
    expect(formatBytes(812_000_000)).toBe('812 MB');
    expect(formatBytes(-2_000)).toBe('-2.00 kB');
    expect(formatDelta(2_048)).toBe('+2.05 kB');
    expect(formatDelta(-20)).toBe('-20 B');
  });
  it('prints modes like ls', () => {
    expect(formatMode(0o755, 'dir')).toBe('drwxr-xr-x');
    expect(formatMode(0o4755, 'file')).toBe('-rwsr-xr-x');
    expect(formatMode(0o1644, 'file')).toBe('-rw-r--r-T');
    expect(formatMode(0o1777, 'dir')).toBe('drwxrwxrwt');
    expect(formatMode(0o777, 'symlink')).toBe('lrwxrwxrwx');
  });
  it('prints durations and labels unnamed stages by index', () => {
    expect(formatDuration(950)).toBe('950 ms');
    expect(formatDuration(12_300)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(stageLabel({ index: 2, name: null })).toBe('stage-2');
    expect(stageLabel({ index: 0, name: 'build' })).toBe('build');
  });
});
