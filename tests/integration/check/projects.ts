// Tiny projects for the check tests, written into temp folders: `dirty` trips every measured
// rule (line numbers below are asserted), `clean` trips none, `failing` fails to build.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { engine } from '../harness.ts';
import { MANAGED_LABEL, PROJECT_LABEL } from '../../../electron/core/project/naming.ts';

export const DIRTY = `FROM stagescope-test/busybox:1 AS builder
RUN mkdir -p /usr/include /out && echo '#define X 1' > /usr/include/x.h && dd if=/dev/urandom of=/out/app bs=1k count=1200 2>/dev/null && cp /out/app /out/app-copy

FROM builder AS debug
RUN echo debug > /debug.txt

FROM stagescope-test/busybox:1
RUN mkdir -p /root/.ssh /certs /var/lib/apt/lists && printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\\nnot-a-real-key\\n-----END OPENSSH PRIVATE KEY-----\\n' > /root/.ssh/id_rsa && printf -- '-----BEGIN RSA PRIVATE KEY-----\\nxyz\\n' > /certs/server.pem && printf -- '-----BEGIN CERTIFICATE-----\\nabc\\n' > /certs/ca.pem && dd if=/dev/zero of=/var/lib/apt/lists/deb_Packages bs=1k count=30 2>/dev/null && dd if=/dev/zero of=/big.tmp bs=1k count=2000 2>/dev/null
RUN rm /root/.ssh/id_rsa /big.tmp
COPY --from=builder /out /out
COPY --from=builder /usr/include /usr/include
COPY --from=builder / /builder-root/
`;
/** Lines of DIRTY the findings point at. */
export const LINE = { builderFrom: 1, debugFrom: 4, write: 8, rm: 9, copyOut: 10, copyInclude: 11, copyRoot: 12 } as const;

export const CLEAN = `FROM stagescope-test/busybox:1 AS builder
RUN mkdir -p /out && echo hello > /out/app

FROM stagescope-test/busybox:1
COPY --from=builder /out/app /app
`;

export const FAILING = `FROM stagescope-test/busybox:1
RUN echo "check fixture fails on purpose" >&2 && exit 3
`;

export async function writeProject(dir: string, dockerfile: string, files: Record<string, string> = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return join(dir, 'Dockerfile');
}

/** Removes the images StageScope tagged for this Dockerfile. */
export async function removeProjectImages(dockerfile: string): Promise<void> {
  const c = await engine();
  const images = await c.docker.listImages({ filters: { label: [`${MANAGED_LABEL}=true`, `${PROJECT_LABEL}=${dockerfile}`] } });
  for (const img of images)
    await c.docker
      .getImage(img.Id)
      .remove({ force: true })
      .catch(() => undefined);
}
