import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { digesting, inputsKey } from './stage-reuse.ts';

describe('stage reuse keys', () => {
  const base = { contextDigest: 'c1', dockerfileText: 'FROM x AS a\n', options: { buildArgs: { A: '1', B: '2' } }, target: 'a', externalIds: ['x=sha256:1'] };

  it('is stable for the same inputs, whatever the order of build args', () => {
    expect(inputsKey(base)).toBe(inputsKey({ ...base, options: { buildArgs: { B: '2', A: '1' } } }));
  });

  it('changes with every input the build reads', () => {
    const key = inputsKey(base);
    for (const changed of [
      { ...base, contextDigest: 'c2' },
      { ...base, dockerfileText: 'FROM y AS a\n' },
      { ...base, options: { buildArgs: { A: '1', B: '3' } } },
      { ...base, options: { ...base.options, builder: 'classic' as const } },
      { ...base, target: 'b' },
      { ...base, externalIds: ['x=sha256:2'] },
    ]) {
      expect(inputsKey(changed)).not.toBe(key);
    }
  });

  it('hashes a stream as it passes, and only once it has ended', async () => {
    const d = digesting(Readable.from([Buffer.from('ab'), Buffer.from('c')]));
    expect(d.digest()).toBeNull();
    const chunks: Buffer[] = [];
    for await (const c of d.stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
    expect(d.digest()).toBe(createHash('sha256').update('abc').digest('hex'));
  });
});
