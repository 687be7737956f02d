// hidden-by-rm: a file a layer wrote and a later layer deleted is still in the image (in the
// lower layer's tar). Grouped by the line that wrote and the line that removed.
import { formatBytes } from '../../../../shared/format.ts';
import { type CheckContext, type Finding, topPaths } from '../context.ts';

export function hiddenByRm(ctx: CheckContext): Finding[] {
  const groups = new Map<string, { writer: number; remover: number; files: { path: string; size: number }[] }>();
  ctx.final.changes.forEach((change, remover) => {
    for (const meta of change.removedEntries) {
      if (meta.type !== 'file' || meta.size === 0 || ctx.ignored(meta.path)) continue;
      const writer = ctx.writerOf(meta);
      const key = `${writer}:${remover}`;
      const g = groups.get(key) ?? { writer, remover, files: [] };
      groups.set(key, g);
      g.files.push({ path: meta.path, size: meta.size });
    }
  });
  return [...groups.values()].map((g) => {
    const bytes = g.files.reduce((s, f) => s + f.size, 0);
    const wrote = ctx.origin(ctx.target, g.writer);
    const removed = ctx.origin(ctx.target, g.remover);
    return {
      stage: ctx.label(ctx.target),
      stageIndex: ctx.target,
      line: wrote.line ?? removed.line,
      layer: g.writer,
      bytes,
      paths: topPaths(g.files),
      message: `${ctx.describe(wrote)} writes ${formatBytes(bytes)}, ${ctx.describe(removed)} removes it: ${formatBytes(bytes)} still in the image; delete in the step that writes.`,
    };
  });
}
