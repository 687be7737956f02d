// Podman's Docker-compatible API (`podman system service`, rootful, no network) as the engine:
// the same two-stage project analyzed there gives the same stage trees as on the Docker Engine.
// The service is started on a private socket and stopped by pid.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectEngine } from '../../electron/core/docker/connection.ts';
import { openProject } from '../../electron/core/project/session.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../electron/core/project/naming.ts';
import { BASE_IMAGES } from '../support/base-images.ts';
import { requireEngine } from '../support/engine.ts';
import { makeTempDir, removeTempDirs } from '../support/temp.ts';

const run = promisify(execFile);
let dir: string;
let service: ChildProcess;
let host: string;

const DOCKERFILE = `FROM ${BASE_IMAGES.busybox} AS build
RUN mkdir -p /out && echo "from podman" > /out/a.txt && ln -s a.txt /out/b
FROM ${BASE_IMAGES.busybox}
COPY --from=build /out /app
`;

beforeAll(async () => {
  await requireEngine();
  dir = await makeTempDir('stagescope-podman-');
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  host = `unix://${join(dir, 'podman.sock')}`;
  // runc, not Debian's default crun: crun 1.8 refuses machines with hybrid cgroups (v1
  // controllers plus a v2 mount), which some CI machines have; runc runs on both kinds.
  service = spawn('podman', ['--runtime', 'runc', 'system', 'service', '--time=0', host], { stdio: 'ignore' });
  await run('docker', ['save', '-o', join(dir, 'busybox.tar'), BASE_IMAGES.busybox]);
  await run('podman', ['load', '-q', '-i', join(dir, 'busybox.tar')]);
});

afterAll(async () => {
  const images = await run('podman', ['images', '-q', '--filter', `label=${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`]).then(
    (r) => r.stdout.split('\n').filter(Boolean),
    () => [],
  );
  if (images.length) await run('podman', ['rmi', '-f', ...new Set(images)]).catch(() => undefined);
  if (service.pid && service.exitCode === null) process.kill(service.pid, 'SIGTERM');
  const docker = await requireEngine();
  const ours = await docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${join(dir, 'Dockerfile')}`] } });
  for (const img of ours)
    await docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await removeTempDirs();
});

async function stageTrees(connect: () => ReturnType<typeof connectEngine>): Promise<string[][]> {
  const session = await openProject(dir, { connect });
  const report = await session.analyze({ dockerfile: 'Dockerfile' } as never);
  const trees: string[][] = [];
  for (let stage = 0; stage < report.stages.length; stage++) {
    const { rows } = await session.treeRows({ stage, layer: null, expanded: 'all', limit: 10_000 });
    trees.push(rows.map((r) => `${r.path} ${r.type} ${r.size}`));
  }
  return trees;
}

it('analyzes a two-stage project on podman; only what a buildah RUN leaves behind differs from the Docker Engine', async () => {
  // Podman answers /version after several seconds on a loaded machine: a longer deadline.
  const onPodman = await stageTrees(() => connectEngine({ host, timeoutMs: 60_000 }));
  const onDocker = await stageTrees(() => connectEngine());
  expect(onPodman).toHaveLength(2);
  expect(onPodman[1]).toContain('/app/a.txt file 12');
  expect(onPodman[1]).toEqual(onDocker[1]);
  // A RUN step under buildah leaves the empty mount points it bind-mounted in the layer;
  // BuildKit does not. StageScope shows each image as it is.
  const extra = onPodman[0]!.filter((l) => !onDocker[0]!.includes(l));
  expect(extra).toEqual(['/etc/hostname file 0', '/etc/hosts file 0', '/etc/resolv.conf file 0', '/run dir 0']);
  expect(onDocker[0]!.filter((l) => !onPodman[0]!.includes(l))).toEqual([]);
});
