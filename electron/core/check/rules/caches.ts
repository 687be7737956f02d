// package-caches-in-final: package manager and build caches shipped in the target image, per
// cache and per layer that wrote them (so the finding names the line to fix).
import { formatBytes, plural } from '../../../../shared/format.ts';
import { type CheckContext, type Finding, topPaths } from '../context.ts';
import { matcher } from '../globs.ts';

export const CACHES: { name: string; globs: string[] }[] = [
  { name: 'apt package lists', globs: ['/var/lib/apt/lists/**'] },
  { name: 'apt package archives', globs: ['/var/cache/apt/**'] },
  { name: 'apk cache', globs: ['/var/cache/apk/**', '/etc/apk/cache/**'] },
  { name: 'pip cache', globs: ['**/.cache/pip/**'] },
  { name: 'npm cache', globs: ['**/.npm/_cacache/**'] },
  { name: 'yarn cache', globs: ['**/.cache/yarn/**', '**/.yarn/cache/**', '**/.yarn-cache/**'] },
  { name: 'Go build cache', globs: ['**/.cache/go-build/**'] },
  { name: 'Go module download cache', globs: ['**/pkg/mod/cache/download/**'] },
  { name: 'cargo registry cache', globs: ['**/.cargo/registry/**', '**/.cargo/git/**'] },
];
const compiled = CACHES.map((c) => ({ name: c.name, match: matcher(c.globs) }));

export function packageCachesInFinal(ctx: CheckContext): Finding[] {
  // cache name -> layer -> files
  const groups = new Map<string, Map<number, { path: string; size: number }[]>>();
  for (const meta of ctx.final.tree.walk()) {
    if (meta.type !== 'file' || meta.size === 0 || ctx.ignored(meta.path)) continue;
    const cache = compiled.find((c) => c.match(meta.path));
    if (!cache) continue;
    const layer = ctx.writerOf(meta);
    const byLayer = groups.get(cache.name) ?? new Map();
    groups.set(cache.name, byLayer);
    const list = byLayer.get(layer) ?? [];
    byLayer.set(layer, list);
    list.push({ path: meta.path, size: meta.size });
  }
  const findings: Finding[] = [];
  for (const [name, byLayer] of groups) {
    for (const [layer, files] of byLayer) {
      const bytes = files.reduce((s, f) => s + f.size, 0);
      const origin = ctx.origin(ctx.target, layer);
      findings.push({
        stage: ctx.label(ctx.target),
        stageIndex: ctx.target,
        line: origin.line,
        layer,
        bytes,
        paths: topPaths(files),
        message: `${name}: ${formatBytes(bytes)} in ${plural(files.length, 'file')} ship in the final image, written by ${ctx.describe(origin)}; clean them in the same step.`,
      });
    }
  }
  return findings;
}
