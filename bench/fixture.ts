// The benchmark's multi-stage project, written to a temp folder. Everything comes from the
// tests' local base images, so it builds offline. The `nonce` is baked into the first RUN so a
// fresh nonce gives a genuinely cold BuildKit cache for every stage without pruning the
// engine's shared cache; `late` changes only the final stage's last instruction (measurement 4).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FixtureSize = 'full' | 'quick';

export interface FixtureShape {
  base: string;
  /** Folders x files per folder of the "many small files" stage. */
  dirs: number;
  filesPerDir: number;
  /** A large tree the copy stage duplicates. */
  treeToCopy: string;
  /** A subtree of the copy that the prune stage deletes (whiteouts). */
  subtreeToDelete: string;
}

export const SHAPES: Record<FixtureSize, FixtureShape> = {
  // ~63k small files on top of the Go toolchain (~19k entries) plus a 15k-file copy of Go's
  // share tree: about 100k layer entries in all.
  full: { base: 'stagescope-test/golang:1.24', dirs: 60, filesPerDir: 1050, treeToCopy: '/usr/share/go-1.24', subtreeToDelete: 'src/cmd' },
  // A few hundred files: CI runs it in seconds.
  quick: { base: 'stagescope-test/busybox:1', dirs: 3, filesPerDir: 100, treeToCopy: '/bin', subtreeToDelete: '.' },
};

/** Dominated by small files: 64,000 in one layer on a 2 MB base (bench/pipeline.ts, #13 item 1). */
const SMALL_FILES: FixtureShape = {
  base: 'stagescope-test/busybox:1',
  dirs: 64,
  filesPerDir: 1000,
  treeToCopy: '/bin',
  subtreeToDelete: '.',
};

export const FINAL_BASE = 'stagescope-test/busybox:1';

export function dockerfileText(shape: FixtureShape, nonce: string, late: number): string {
  const lastDir = shape.dirs - 1;
  // POSIX sh loops: dash in the Go image, busybox sh in the quick one.
  const makeFiles =
    `for d in $(seq 0 ${lastDir}); do mkdir -p /data/d$d; ` +
    `for f in $(seq 1 ${shape.filesPerDir}); do echo "file $f of folder $d" > /data/d$d/f$f; done; done`;
  const deleteSubtree = shape.subtreeToDelete === '.' ? '/opt/tree/*' : `/opt/tree/${shape.subtreeToDelete}`;
  return [
    `FROM ${shape.base} AS base`,
    `RUN echo ${nonce} > /etc/bench-nonce`,
    '',
    'FROM base AS many',
    `RUN ${makeFiles}`,
    '',
    '# copies a large tree and deletes part of the small-files tree',
    'FROM many AS copytree',
    `RUN mkdir -p /opt && cp -a ${shape.treeToCopy} /opt/tree && rm -rf /data/d1`,
    '',
    '# deletes a subtree of a lower layer: whiteouts',
    'FROM copytree AS prune',
    `RUN rm -rf ${deleteSubtree} /data/d2`,
    '',
    `FROM ${FINAL_BASE} AS final`,
    'COPY --from=prune /data/d0 /data',
    'COPY --from=many /etc/bench-nonce /etc/bench-nonce',
    `RUN echo late-${late} > /late`,
    '',
  ].join('\n');
}

export interface Fixture {
  dir: string;
  dockerfile: string;
  shape: FixtureShape;
  /** Rewrites the Dockerfile in place (same path: same StageScope project and labels). */
  write(nonce: string, late: number): Promise<void>;
}

export async function createFixture(size: FixtureSize | 'small-files'): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), `stagescope-bench-${size}-`));
  const dockerfile = join(dir, 'Dockerfile');
  const shape = size === 'small-files' ? SMALL_FILES : SHAPES[size];
  const fixture: Fixture = {
    dir,
    dockerfile,
    shape,
    write: (nonce, late) => writeFile(dockerfile, dockerfileText(shape, nonce, late)),
  };
  await fixture.write('initial', 1);
  return fixture;
}
