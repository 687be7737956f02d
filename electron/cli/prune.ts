// `stagescope prune`: removes exactly what StageScope created (by its label), nothing else.
import { connectEngine } from '../core/docker/connection.ts';
import { removeImagesByLabel } from '../core/docker/images.ts';
import { MANAGED_LABEL } from '../core/project/naming.ts';

export async function pruneCommand(json: boolean, out: (text: string) => void): Promise<number> {
  const conn = await connectEngine();
  // Helper containers (file preview / extract) carry the label too; remove them first so
  // their images can go.
  const containers = await conn.docker.listContainers({ all: true, filters: { label: [`${MANAGED_LABEL}=true`] } });
  for (const c of containers)
    await conn.docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  const removed = await removeImagesByLabel(conn.docker, `${MANAGED_LABEL}=true`);
  if (json) out(JSON.stringify({ removedImages: removed, removedContainers: containers.map((c) => c.Id) }, null, 2));
  else
    out(
      removed.length || containers.length
        ? `Removed ${removed.length} image(s) and ${containers.length} container(s) made by StageScope.`
        : 'Nothing to remove.',
    );
  return 0;
}
