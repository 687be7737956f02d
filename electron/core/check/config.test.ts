import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';
import { parseDiveCi } from './dive-ci.ts';
import { parseSize } from './sizes.ts';
import { matcher } from './globs.ts';

const fails = (yml: string) => {
  try {
    parseConfig(yml, '.stagescope.yml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a config error');
};

describe('.stagescope.yml', () => {
  it('reads every key, sizes in bytes, and the line of each key', () => {
    const c = parseConfig(
      'final:\n  maxSize: 50MB\n  maxLayers: 12\n  minEfficiency: 0.95\n  maxWasted: 1.5GiB\n  forbid: ["/var/lib/apt/lists/**"]\n  require: ["/app/server"]\nstages:\n  builder: { maxSize: 1GB }\ngrowth:\n  final: { maxBytes: 5MB, maxPercent: 10 }\n  stages: { builder: { maxPercent: 25 } }\nignore: ["/tmp/**"]\nrules:\n  secrets-in-layers: error\n',
      '.stagescope.yml',
    );
    expect(c.final).toEqual({
      maxSize: 50e6,
      maxLayers: 12,
      minEfficiency: 0.95,
      maxWasted: Math.round(1.5 * 1024 ** 3),
      forbid: ['/var/lib/apt/lists/**'],
      require: ['/app/server'],
    });
    expect(c.stages).toEqual({ builder: { maxSize: 1e9 } });
    expect(c.growth).toEqual({ final: { maxBytes: 5e6, maxPercent: 10 }, stages: { builder: { maxPercent: 25 } } });
    expect(c.rules).toEqual({ 'secrets-in-layers': 'error' });
    expect(c.lines['stages.builder']).toBe(9);
    expect(parseConfig('', 'x.yml').final).toBeUndefined();
  });

  it('names the key and line of every problem in one sentence', () => {
    expect(fails('final:\n  maxSize: 50MB\n  maxLayer: 3\n')).toMatch(
      /^\.stagescope\.yml line 3: unknown key "final\.maxLayer" \(known here: maxSize, maxLayers, /,
    );
    expect(fails('finale: {}\n')).toMatch(/^\.stagescope\.yml line 1: unknown key "finale"/);
    expect(fails('stages:\n  b:\n    maxSize: huge\n')).toBe(
      '.stagescope.yml line 3: stages.b.maxSize "huge" is not a size (write it like 50MB, 1.5GiB or a number of bytes).',
    );
    expect(fails('final:\n  forbid: ["{a,b"]\n')).toMatch(/^\.stagescope\.yml line 2: final\.forbid\.0 "\{a,b" is not a valid glob/);
    expect(fails('rules:\n  hidden-by-rm: loud\n')).toBe(
      '.stagescope.yml line 2: rules.hidden-by-rm must be one of off, info, warn, error.',
    );
    expect(fails('final:\n  minEfficiency: 2\n')).toMatch(/^\.stagescope\.yml line 2: final\.minEfficiency is out of range/);
    expect(fails('final: [1, 2\n')).toMatch(/^\.stagescope\.yml line \d: the YAML does not parse/);
    expect(fails('final:\n  maxSize: 1MB\n  maxSize: 2MB\n')).toMatch(/line 3: the YAML does not parse/);
  });

  it('sizes: bytes, decimal and binary units', () => {
    expect(parseSize(1234)).toBe(1234);
    expect(parseSize('50MB')).toBe(50_000_000);
    expect(parseSize('1.5GiB')).toBe(1_610_612_736);
    expect(parseSize('10 kb')).toBe(10_000);
    expect(parseSize('12')).toBe(12);
    for (const bad of ['50 megs', '-1', 'MB', '1.2.3MB', -5]) expect(parseSize(bad)).toBeNull();
  });

  it('globs: anchored at /, or at any depth without a leading /; a folder is not its own /**', () => {
    const m = matcher(['/var/lib/apt/lists/**', '*.a']);
    expect(m('/var/lib/apt/lists/x')).toBe(true);
    expect(m('/var/lib/apt/lists', true)).toBe(false);
    expect(m('/usr/lib/libz.a')).toBe(true);
    expect(m('/usr/lib/libz.so')).toBe(false);
  });
});

describe('.dive-ci', () => {
  it("reads dive's three rules, disabled ones left out", () => {
    expect(
      parseDiveCi('rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: disabled\n', '.dive-ci'),
    ).toEqual({ source: '.dive-ci', lowestEfficiency: 0.95, highestWastedBytes: 20e6 });
    expect(parseDiveCi('rules:\n  lowestEfficiency: "0.9"\n', 'f').lowestEfficiency).toBe(0.9);
  });
  it('names the key and line of a problem', () => {
    expect(() => parseDiveCi('rules:\n  lowestEficiency: 0.9\n', '.dive-ci')).toThrow(
      /^\.dive-ci line 2: unknown key "rules\.lowestEficiency"/,
    );
    expect(() => parseDiveCi('rules:\n  highestWastedBytes: lots\n', '.dive-ci')).toThrow(
      /line 2: rules\.highestWastedBytes "lots" is not a size/,
    );
  });
});
