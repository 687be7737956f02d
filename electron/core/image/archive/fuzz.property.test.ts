// Fuzz: byte mutations of valid `docker save` archives (both layouts, plain and gzip layers).
// Whatever the bytes, the reader either returns contents or rejects with a StageScopeError,
// and it always settles (a hang fails the run). The seed is printed so a failure replays with
// FUZZ_SEED=<seed>; fast-check also prints the shrunk counterexample.
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../../shared/errors.ts';
import { readImageArchive } from './read.ts';
import { chunked, legacyArchive, makeTar, ociArchive } from './testing/archives.ts';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = 1000;
const SETTLE_MS = 10_000;

let archives: Buffer[] = [];

beforeAll(async () => {
  const base = await makeTar([
    { name: 'bin/', type: 'directory' },
    { name: 'bin/sh', content: Buffer.alloc(3000, 'sh') },
    { name: 'bin/ln', type: 'symlink', linkname: 'sh' },
    { name: 'bin/hard', type: 'link', linkname: 'bin/sh' },
  ]);
  const upper = await makeTar([
    { name: 'bin/.wh.ln', content: '' },
    { name: 'etc/.wh..wh..opq', content: '' },
    { name: 'etc/x', content: 'x' },
  ]);
  const image = { tags: ['stagescope-test/fuzz:1'], layers: [{ tar: base }, { tar: upper, blob: gzipSync(upper) }] };
  archives = [await ociArchive([image]), await legacyArchive([image])];
});

/** One mutation: overwrite bytes, truncate, or splice in random bytes, at a random offset. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), bytes: fc.constant(new Uint8Array()) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 600 }) }),
);

function mutate(buf: Buffer, muts: { kind: string; at: number; bytes: Uint8Array }[]): Buffer {
  let out = Buffer.from(buf);
  for (const m of muts) {
    const at = m.at % Math.max(1, out.length);
    if (m.kind === 'truncate') out = out.subarray(0, at);
    else if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
    else out.set(m.bytes.subarray(0, Math.max(0, out.length - at)), at);
  }
  return out;
}

describe('readImageArchive under fuzzed bytes', () => {
  it(`never throws anything but StageScopeError and always settles (seed ${seed})`, { timeout: 180_000 }, async () => {
    console.log(`archive fuzz: seed ${seed}, ${RUNS} runs (replay with FUZZ_SEED=${seed})`);
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 9000 }),
        async (which, muts, chunk) => {
          const bytes = mutate(archives[which], muts);
          let timer: NodeJS.Timeout | undefined;
          const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), SETTLE_MS)));
          const outcome = await Promise.race([
            readImageArchive(chunked(bytes, chunk)).then(
              () => 'ok' as const,
              (err: unknown) => err,
            ),
            hang,
          ]).finally(() => clearTimeout(timer));
          expect(outcome).not.toBe('hang');
          if (outcome !== 'ok') {
            rejected++;
            expect(outcome).toBeInstanceOf(StageScopeError);
          }
        },
      ),
      { seed, numRuns: RUNS, verbose: 1 },
    );
    // Mutations that break nothing (e.g. in padding) are fine, but most must be caught.
    expect(rejected).toBeGreaterThan(RUNS / 4);
  });
});
