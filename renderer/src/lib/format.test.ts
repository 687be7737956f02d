import { describe, expect, it } from 'vitest';
import { formatBytes, formatDelta, formatDuration, formatMode, stageLabel } from './format.ts';

describe('format', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
    expect(formatDelta(-2048)).toBe('-2.0 KB');
    expect(formatDelta(10)).toBe('+10 B');
  });
  it('formats modes like ls', () => {
    expect(formatMode(0o755, 'dir')).toBe('drwxr-xr-x');
    expect(formatMode(0o4755, 'file')).toBe('-rwsr-xr-x');
    expect(formatMode(0o1777, 'dir')).toBe('drwxrwxrwt');
    expect(formatMode(0o644, 'symlink')).toBe('lrw-r--r--');
  });
  it('formats durations and stage labels', () => {
    expect(formatDuration(950)).toBe('950 ms');
    expect(formatDuration(12_300)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2m 05s');
    expect(stageLabel({ index: 2, name: null })).toBe('stage-2');
    expect(stageLabel({ index: 0, name: 'builder' })).toBe('builder');
  });
});
