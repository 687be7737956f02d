import { describe, expect, it } from 'vitest';
import { fidelityReport, isFaithful, type ComparableEntry } from '../../support/fidelity.ts';

const f = (path: string, size = 1): ComparableEntry => ({ path, type: 'file', size, linkTarget: null });
const d = (path: string): ComparableEntry => ({ path, type: 'directory', size: 0, linkTarget: null });
const s = (path: string, linkTarget: string): ComparableEntry => ({ path, type: 'symlink', size: 0, linkTarget });
const h = (path: string, target: string): ComparableEntry => ({ path, type: 'hardlink', size: 0, linkTarget: target });

describe('fidelityReport', () => {
  it('ignores the engine init layer on both sides', () => {
    const docker = [d('/bin'), f('/bin/a'), f('/.dockerenv', 0), d('/proc'), f('/etc/hosts', 0), d('/etc'), f('/etc/passwd')];
    const ours = [d('/bin'), f('/bin/a'), d('/etc'), f('/etc/hosts', 99), f('/etc/passwd')];
    expect(isFaithful(fidelityReport(ours, docker))).toBe(true);
  });

  it('reports missing, extra and different entries', () => {
    const docker = [f('/a', 5), s('/l', 'a'), f('/gone'), d('/x')];
    const ours = [f('/a', 6), s('/l', 'b'), f('/new'), f('/x')];
    const r = fidelityReport(ours, docker);
    expect(r.missing).toEqual(['/gone']);
    expect(r.extra).toEqual(['/new']);
    expect(r.different.map((e) => e.path).sort()).toEqual(['/a', '/l', '/x']);
    expect(isFaithful(r)).toBe(false);
  });

  it('accepts a hard link shown as a file, or as a link', () => {
    expect(isFaithful(fidelityReport([f('/a', 9), f('/b', 9)], [f('/a', 9), h('/b', '/a')]))).toBe(true);
    expect(isFaithful(fidelityReport([f('/a', 9), h('/b', '/a')], [f('/a', 9), h('/b', '/a')]))).toBe(true);
  });
});
