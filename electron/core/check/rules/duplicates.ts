// duplicate-content: the same content (sha256) shipped more than once in the target image's
// layers, at two paths or by two layers, for files above 1 MB.
import { formatBytes } from '../../../../shared/format.ts';
import type { CheckContext, Finding } from '../context.ts';

export const DUPLICATE_MIN_BYTES = 1_000_000;

export function duplicateContent(ctx: CheckContext): Finding[] {
  const byHash = new Map<string, { path: string; layer: number; size: number }[]>();
  ctx.final.layers.forEach((layer, i) => {
    for (const e of layer.entries) {
      if (e.type !== 'file' || e.size <= DUPLICATE_MIN_BYTES || !e.hash || ctx.ignored(e.path)) continue;
      const list = byHash.get(e.hash) ?? [];
      byHash.set(e.hash, list);
      if (!list.some((x) => x.path === e.path && x.layer === i)) list.push({ path: e.path, layer: i, size: e.size });
    }
  });
  const findings: Finding[] = [];
  for (const copies of byHash.values()) {
    if (copies.length < 2) continue;
    const size = copies[0].size;
    const places = copies.map((c) => {
      const o = ctx.origin(ctx.target, c.layer);
      return `${c.path} (${o.line !== null ? `line ${o.line}` : `layer ${c.layer}`})`;
    });
    const second = ctx.origin(ctx.target, copies[1].layer);
    findings.push({
      stage: ctx.label(ctx.target),
      stageIndex: ctx.target,
      line: second.line,
      layer: copies[1].layer,
      bytes: size * (copies.length - 1),
      paths: copies.map((c) => c.path),
      message: `The same ${formatBytes(size)} of content ships ${copies.length} times: ${places.join(', ')}; ${formatBytes(size * (copies.length - 1))} could go.`,
    });
  }
  return findings;
}
