// toolchain-in-final: compilers, headers and build tools in the target image, grouped by what
// they are and the instruction (a COPY --from, the FROM of a base image, a RUN) that brought them.
import { formatBytes, plural } from '../../../../shared/format.ts';
import { baseName } from '../../../../shared/paths.ts';
import { type CheckContext, type Finding, topPaths } from '../context.ts';
import { matcher } from '../globs.ts';

const COMPILERS = new Set([
  'gcc',
  'g++',
  'cc',
  'c++',
  'clang',
  'clang++',
  'cc1',
  'cc1plus',
  'gfortran',
  'tcc',
  'rustc',
  'cargo',
  'javac',
  'go',
  'gofmt',
  'node-gyp',
  'ld',
  'as',
  'make',
  'cmake',
]);
const BIN_DIR = /\/(s?bin|libexec)\//;

const KINDS: { name: string; match: (path: string) => boolean }[] = [
  { name: 'C headers', match: matcher(['/usr/include/**', '/usr/local/include/**']) },
  {
    name: 'compiler internals',
    match: matcher([
      '/usr/lib/gcc/**',
      '/usr/libexec/gcc/**',
      '/usr/lib/llvm-*/**',
      '**/go/pkg/tool/**',
      '/usr/lib/go-*/pkg/tool/**',
      '**/.rustup/toolchains/**',
      '**/node_modules/node-gyp/**',
    ]),
  },
  {
    name: 'compilers and build tools',
    match: (path) => {
      const base = baseName(path);
      return (
        BIN_DIR.test(path) &&
        (COMPILERS.has(base) ||
          /^(gcc|g\+\+|cpp|clang|cc)-\d+(\.\d+)*$/.test(base) ||
          /^[a-z0-9_]+-linux-gnu-(gcc|g\+\+|ld|as)(-\d+)?$/.test(base))
      );
    },
  },
  { name: '-dev packages', match: (path) => /^\/var\/lib\/dpkg\/info\/[^/]+-dev(:[^/]+)?\.list$/.test(path) },
];

export function toolchainInFinal(ctx: CheckContext): Finding[] {
  const groups = new Map<string, { kind: string; layer: number; files: { path: string; size: number }[] }>();
  for (const meta of ctx.final.tree.walk()) {
    if (meta.type === 'dir' || ctx.ignored(meta.path)) continue;
    const kind = KINDS.find((k) => k.match(meta.path));
    if (!kind) continue;
    const layer = ctx.writerOf(meta);
    const key = `${kind.name}:${layer}`;
    const g = groups.get(key) ?? { kind: kind.name, layer, files: [] };
    groups.set(key, g);
    g.files.push({ path: meta.path, size: meta.type === 'file' ? meta.size : 0 });
  }
  return [...groups.values()].map((g) => {
    const bytes = g.files.reduce((s, f) => s + f.size, 0);
    const origin = ctx.origin(ctx.target, g.layer);
    const what =
      g.kind === '-dev packages'
        ? `-dev packages (${g.files
            .map((f) => f.path.replace(/^.*\/|(:[^/]*)?\.list$/g, ''))
            .slice(0, 5)
            .join(', ')})`
        : `${g.kind} (${plural(g.files.length, 'file')}, ${formatBytes(bytes)})`;
    return {
      stage: ctx.label(ctx.target),
      stageIndex: ctx.target,
      line: origin.line,
      layer: g.layer,
      bytes,
      paths: topPaths(g.files),
      message: `${what} in the final image, brought by ${ctx.describe(origin)}; build in a builder stage and copy only the output.`,
    };
  });
}
