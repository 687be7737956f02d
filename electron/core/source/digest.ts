// Content addressing: a blob's bytes must hash to the digest it was asked for by.
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { StageScopeError } from '../../../shared/errors.ts';

export function checkDigestFormat(digest: string, where: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (!m) throw new StageScopeError('archive', `${where} names a blob by "${digest.slice(0, 80)}", which is not a sha256 digest.`, null);
  return m[1]!;
}

export function digestOf(bytes: Buffer): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

export function mismatch(where: string, want: string, got: string): StageScopeError {
  return new StageScopeError(
    'archive',
    `${where} does not match its digest (expected ${want.slice(0, 19)}…, got ${got.slice(0, 19)}…).`,
    'The blob is corrupt or was cut short; read the image again.',
  );
}

export function verifySmall(bytes: Buffer, digest: string, where: string): Buffer {
  const got = digestOf(bytes);
  if (got !== digest) throw mismatch(where, digest, got);
  return bytes;
}

/** Passes bytes through and fails at the end when they do not hash to `digest`. */
export function verifyingStream(input: Readable, digest: string, where: string): Readable {
  const hash = createHash('sha256');
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const got = 'sha256:' + hash.digest('hex');
      done(got === digest ? null : mismatch(where, digest, got));
    },
  });
  input.once('error', (err) => check.destroy(err));
  check.once('close', () => input.destroy());
  return input.pipe(check);
}
