// How StageScope names and labels what it creates in the engine, so that `prune` removes
// exactly that and nothing else.
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';

export const MANAGED_LABEL = 'org.stagescope.managed';
export const PROJECT_LABEL = 'org.stagescope.project';
const STAGE_LABEL = 'org.stagescope.stage';
export const REPOSITORY_PREFIX = 'stagescope';

/** A repository name per Dockerfile: readable part plus a hash of its absolute path. */
export function projectRepository(dockerfilePath: string): string {
  const abs = resolve(dockerfilePath);
  const hash = createHash('sha256').update(abs).digest('hex').slice(0, 10);
  const readable = basename(resolve(abs, '..'))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 40);
  return `${REPOSITORY_PREFIX}/${readable || 'project'}-${hash}`;
}

/** The tag of one stage's image: `stagescope/<project>:<index>-<label>`. */
export function stageTag(dockerfilePath: string, index: number, name: string | null): string {
  const label = (name ?? `stage-${index}`)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, 100);
  return `${projectRepository(dockerfilePath)}:${index}-${label}`;
}

export function stageLabels(dockerfilePath: string, index: number): Record<string, string> {
  return { [MANAGED_LABEL]: 'true', [PROJECT_LABEL]: resolve(dockerfilePath), [STAGE_LABEL]: String(index) };
}
