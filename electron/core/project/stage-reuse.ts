// Warm re-analysis without a build request per stage. After the target's build, every other
// stage's build would only be BuildKit cache hits; each still costs a request (context upload,
// solve, image commit). So a stage image is labelled with a digest of everything its build
// read: the context tar as sent, the uploaded Dockerfile, build args, builder, target and the
// ids of the external images it names. An image already carrying the same digest is reused.
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { BuildOptions, DockerfileModel } from '../../../shared/model.ts';
import { MANAGED_LABEL } from './naming.ts';

export const INPUTS_LABEL = 'org.stagescope.inputs';

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
  const ids: string[] = [];
  for (const ref of [...refs].sort()) {
    const id = await docker
      .getImage(ref)
      .inspect()
      .then((i) => i.Id as string)
      .catch(() => 'missing');
    ids.push(`${ref}=${id}`);
  }
  return ids;
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

/** An image StageScope built from exactly these inputs, if the engine still has one. */
export async function findReusable(docker: Dockerode, key: string): Promise<string | null> {
  const images = await docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${INPUTS_LABEL}=${key}`] } });
  return images[0]?.Id ?? null;
}
