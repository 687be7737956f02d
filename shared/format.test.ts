import { describe, expect, it } from 'vitest';
import { formatBytes, formatMode, stageLabel } from './format.ts';

describe('format', () => {
  it('prints sizes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500)).toBe('1.50 kB');
    expect(formatBytes(1_834_000)).toBe('1.83 MB');
    expect(formatBytes(812_000_000)).toBe('812 MB');
    expect(formatBytes(-2_000)).toBe('-2.00 kB');
  });
  it('prints modes like ls', () => {
    expect(formatMode('dir', 0o755)).toBe('drwxr-xr-x');
    expect(formatMode('file', 0o4755)).toBe('-rwsr-xr-x');
    expect(formatMode('file', 0o1644)).toBe('-rw-r--r-T');
    expect(formatMode('symlink', 0o777)).toBe('lrwxrwxrwx');
  });
  it('labels unnamed stages by index', () => {
    expect(stageLabel({ index: 2, name: null })).toBe('stage-2');
    expect(stageLabel({ index: 0, name: 'build' })).toBe('build');
  });
});
