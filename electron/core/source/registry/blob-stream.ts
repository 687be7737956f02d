// A registry blob as one stream that survives a cut connection: when the body breaks midway,
// the rest is asked for with `Range: bytes=N-` (distribution answers 206); a registry that
// answers 200 instead cannot resume, and the read fails with one sentence. The bytes are
// hashed by the caller (verifyingStream), so a resumed blob is still checked end to end.
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { StageScopeError } from '../../../../shared/errors.ts';

const MAX_RESUMES = 3;

export interface BlobFetch {
  (headers: Record<string, string>): Promise<Dispatcher.ResponseData>;
}

function failed(what: string, host: string, why: string): StageScopeError {
  return new StageScopeError(
    'engine',
    `Downloading ${what} from the registry ${host} failed: ${why}.`,
    'Try again; check the network to the registry.',
  );
}

export function resumableBlob(
  fetch: BlobFetch,
  what: string,
  host: string,
  expectedSize: number | undefined,
  signal?: AbortSignal,
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let received = 0;
    let resumes = 0;
    for (;;) {
      const res = await fetch(received > 0 ? { range: `bytes=${received}-` } : {});
      if (received > 0 && res.statusCode !== 206) {
        await res.body.dump().catch(() => undefined);
        throw failed(
          what,
          host,
          `the connection broke after ${received} bytes and the registry does not resume downloads (it answered ${res.statusCode} to a Range request)`,
        );
      }
      if (received === 0 && res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined);
        throw failed(
          what,
          host,
          res.statusCode === 404 ? 'the registry does not have this blob (404)' : `the registry answered ${res.statusCode}`,
        );
      }
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          received += chunk.length;
          yield chunk;
        }
        if (expectedSize !== undefined && received < expectedSize) throw new Error(`ended after ${received} of ${expectedSize} bytes`);
        return;
      } catch (err) {
        if (signal?.aborted) throw new StageScopeError('cancelled', 'Reading the image was cancelled.', null);
        if (err instanceof StageScopeError) throw err;
        if (++resumes > MAX_RESUMES) throw failed(what, host, `the connection broke ${resumes} times (last after ${received} bytes)`);
      }
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: 1024 * 1024 });
}
