// Warm re-analysis without a build request per stage. After the target's build, every other
// stage's build would only be BuildKit cache hits; each still costs a request (context upload,
// solve, image commit). So each stage image is recorded under a digest of everything its build
// read: the context tar as sent, the uploaded Dockerfile, build args, builder, target and the
// ids of the external images it names. An image recorded under the same digest is reused.
// The record lives beside the layer cache, not in an image label: a label would change the
// image id, and with it every unchanged stage's id, which the export and caches key on.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { BuildOptions, DockerfileModel } from '../../../shared/model.ts';
import { defaultCacheDir } from '../image/cache/location.ts';
import { writeFileAtomic } from '../files/write-atomic.ts';

/** Passes a stream through, hashing it; `digest()` is the sha256 once it has ended, else null. */
export function digesting(source: Readable): { stream: Readable; digest(): string | null } {
  const hash = createHash('sha256');
  let value: string | null = null;
  const stream = new Transform({
    transform(chunk, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      value = hash.digest('hex');
      done();
    },
  });
  source.on('error', (err) => stream.destroy(err));
  source.pipe(stream);
  return { stream, digest: () => value };
}

/** The ids of the images the Dockerfile names (bases and --from), 'missing' when absent. */
export async function externalImageIds(docker: Dockerode, model: DockerfileModel): Promise<string[]> {
  const refs = new Set<string>();
  for (const s of model.stages) if (s.base.kind === 'image' && s.base.ref) refs.add(s.base.ref);
  for (const e of model.edges) if (e.from.kind === 'image') refs.add(e.from.ref);
  return Promise.all(
    [...refs].sort().map(async (ref) => {
      const id = await docker
        .getImage(ref)
        .inspect()
        .then((i) => i.Id as string)
        .catch(() => 'missing');
      return `${ref}=${id}`;
    }),
  );
}

export function inputsKey(parts: {
  contextDigest: string;
  dockerfileText: string;
  options: BuildOptions;
  target: string;
  externalIds: string[];
}): string {
  const args = Object.entries(parts.options.buildArgs ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const material = JSON.stringify([
    1, // bump when what goes into the key changes
    parts.contextDigest,
    parts.dockerfileText,
    args,
    parts.options.builder ?? 'buildkit',
    parts.options.network ?? 'none',
    parts.target,
    parts.externalIds,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

const STORE_FILE = 'stage-inputs-v1.json';
const MAX_RECORDS = 2000;

/** Inputs digest -> image id, persisted as one small JSON file (newest last, bounded). */
export class ReuseStore {
  private constructor(
    private readonly file: string | null,
    private readonly records: Map<string, string>,
  ) {}

  /** Never fails: an unreadable or corrupt store is an empty one (reuse is an optimisation). */
  static async open(dir: string | null = defaultCacheDir()): Promise<ReuseStore> {
    if (!dir) return new ReuseStore(null, new Map());
    const file = join(dir, STORE_FILE);
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as [string, string][];
      return new ReuseStore(file, new Map(parsed.filter((r) => Array.isArray(r) && typeof r[0] === 'string' && typeof r[1] === 'string')));
    } catch {
      return new ReuseStore(file, new Map());
    }
  }

  /** The image recorded for these inputs and its tags, if the engine still has it. */
  async find(docker: Dockerode, key: string): Promise<{ id: string; tags: string[] } | null> {
    const id = this.records.get(key);
    if (!id) return null;
    return docker
      .getImage(id)
      .inspect()
      .then((info) => ({ id, tags: (info.RepoTags as string[] | undefined) ?? [] }))
      .catch(() => null);
  }

  async record(key: string, imageId: string): Promise<void> {
    this.records.delete(key);
    this.records.set(key, imageId);
    while (this.records.size > MAX_RECORDS) this.records.delete(this.records.keys().next().value!);
    if (!this.file) return;
    try {
      await writeFileAtomic(this.file, JSON.stringify([...this.records]));
    } catch {
      // a read-only cache folder only costs the optimisation
    }
  }
}
