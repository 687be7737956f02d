// `stagescope inspect <source>`: layers, tree and efficiency of any image wherever it lives
// (engine, saved archive, OCI layout, registry; see core/source), no Dockerfile needed.
import { inspectSource } from '../core/source/inspect.ts';
import type { OpenSourceOptions } from '../core/source/index.ts';
import type { InspectReport } from '../../shared/model.ts';
import { formatBytes, formatCount, formatPercent, plural } from '../../shared/format.ts';
import { renderTable, safeText } from './table.ts';

export function inspectText(report: InspectReport): string {
  const out: string[] = [];
  for (const img of report.images) {
    out.push(`Image ${img.id.slice(0, 19)} ${img.repoTags.map(safeText).join(', ')}`);
    out.push(
      `${plural(img.fileCount, 'file')}, ${formatBytes(img.totalBytes)}; efficiency ${formatPercent(img.efficiency.score)}, wasted ${formatBytes(img.efficiency.wastedBytes)}`,
    );
    out.push(
      renderTable(
        ['#', 'size', '+', '~', '-', 'created by'],
        img.layers.map((l) => [
          l.index,
          formatBytes(l.size),
          formatCount(l.added),
          formatCount(l.modified),
          formatCount(l.removed),
          l.createdBy.slice(0, 80),
        ]),
        [0, 1, 2, 3, 4],
      ),
    );
    out.push('');
  }
  if (report.images.length === 0) out.push('(no images in the archive)');
  return out.join('\n').trimEnd();
}

export async function inspectCommand(
  ref: string,
  json: boolean,
  out: (text: string) => void,
  options: OpenSourceOptions = {},
): Promise<number> {
  const report = await inspectSource(ref, options);
  out(json ? JSON.stringify(report, null, 2) : inspectText(report));
  return 0;
}
