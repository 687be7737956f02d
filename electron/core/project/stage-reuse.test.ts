import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { digesting, inputsKey } from './stage-reuse.ts';

describe('stage reuse keys', () => {
  const base = {
    contextDigest: 'c1',
    dockerfileText: 'FROM x AS a\n',
    options: { buildArgs: { A: '1', B: '2' } },
    target: 'a',
    externalIds: ['x=sha256:1'],
  };

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

describe('ReuseStore', () => {
  it('remembers records across opens and tolerates a corrupt file', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { ReuseStore } = await import('./stage-reuse.ts');
    const dir = await mkdtemp(join(tmpdir(), 'stagescope-reuse-'));
    const engine = {
      getImage: (id: string) => ({ inspect: async () => (id === 'sha256:gone' ? Promise.reject(new Error('no such image')) : { Id: id }) }),
    };
    try {
      const a = await ReuseStore.open(dir);
      await a.record('k1', 'sha256:one');
      await a.record('k2', 'sha256:gone');
      const b = await ReuseStore.open(dir);
      expect((await b.find(engine as never, 'k1'))?.id).toBe('sha256:one');
      expect(await b.find(engine as never, 'k2')).toBeNull(); // recorded, but the engine lost it
      expect(await b.find(engine as never, 'k3')).toBeNull();
      await writeFile(join(dir, 'stage-inputs-v1.json'), '{not json');
      expect(await (await ReuseStore.open(dir)).find(engine as never, 'k1')).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
