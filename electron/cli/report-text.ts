// The human-readable report of `stagescope analyze`, `diff` and `inspect`.
import type { CopiedFile, DiffResult, Report } from '../../shared/model.ts';
import { diffTotals, formatBytes, formatCount, formatDelta, formatPercent, formatSaving, stageLabel } from '../../shared/format.ts';
import { renderTable, safeText } from './table.ts';

function baseText(base: Report['stages'][number]['base']): string {
  if (base.kind === 'scratch') return 'scratch';
  if (base.kind === 'stage') return `stage ${base.ref}`;
  return base.ref ?? '?';
}

/** Whether a copied file came from the COPY's own source path, or is only a content match. */
export function copiedFileSource(f: CopiedFile): string {
  if (f.sourceResolved) return f.identical ? 'identical' : 'differs';
  return f.sourcePath
    ? `source path not resolved: matched by content (${f.sourcePath})`
    : 'source path not resolved: no file with the same content';
}

export function reportText(report: Report): string {
  const out: string[] = [];
  out.push(`Dockerfile: ${safeText(report.dockerfile)}`);
  out.push(`Target: ${safeText(report.target)} (${report.builder})   Engine: ${report.engine.version} (API ${report.engine.apiVersion})`);
  out.push('');
  out.push('Stages');
  out.push(
    renderTable(
      ['#', 'stage', 'base', 'state', 'size', 'layers', 'files', 'efficiency', 'wasted'],
      report.stages.map((s) => [
        s.index,
        stageLabel(s),
        baseText(s.base),
        s.failure ? 'failed' : s.built ? 'built' : s.needed ? 'not built' : 'not needed',
        s.image ? formatBytes(s.image.size) : '-',
        s.built ? formatCount(s.layers.length) : '-',
        s.built ? formatCount(s.fileCount) : '-',
        s.built ? formatPercent(s.efficiency.score) : '-',
        s.built ? formatBytes(s.efficiency.wastedBytes) : '-',
      ]),
      [0, 4, 5, 6, 7, 8],
    ),
  );
  out.push('');
  out.push('COPY --from');
  if (report.copies.length === 0) out.push('(none)');
  else {
    const rows: (string | number)[][] = [];
    for (const c of report.copies) {
      const into = stageLabel(report.stages[c.stage]);
      const from = c.from.kind === 'stage' ? `stage ${c.from.ref}` : `image ${c.from.ref}`;
      rows.push([`${into}:${c.line}`, from, formatCount(c.files.length), formatBytes(c.bytes), '']);
      for (const f of c.files.slice(0, 20)) rows.push(['', `  ${f.path}`, '', formatBytes(f.size), copiedFileSource(f)]);
      if (c.files.length > 20) rows.push(['', `  … ${formatCount(c.files.length - 20)} more`, '', '', '']);
    }
    out.push(renderTable(['into', 'from', 'files', 'bytes', 'source'], rows, [2, 3]));
  }
  out.push('');
  out.push(sizesText(report));
  if (report.warnings.length > 0) {
    out.push('');
    out.push('Warnings');
    for (const w of report.warnings) out.push(`- ${safeText(w)}`);
  }
  return out.join('\n');
}

/** The final image against its largest builder, or why there is no final image. */
export function sizesText(report: Report): string {
  const { sizes } = report;
  const target = report.stages[report.targetIndex];
  if (sizes.final === null) {
    const failed = report.stages.find((s) => s.failure);
    const why = target?.failure
      ? `the target ${stageLabel(target)} failed`
      : failed
        ? `the build failed in stage ${stageLabel(failed)} before the target ${stageLabel(target)} could be built`
        : `the target ${stageLabel(target)} was not built`;
    return `No final image: ${why}, so there is no final size and no bytes saved.`;
  }
  if (!sizes.largestBuilder) return `Final image ${formatBytes(sizes.final)} (no builder stage).`;
  const b = report.stages[sizes.largestBuilder.stage];
  const head = `Final image ${formatBytes(sizes.final)} vs largest builder ${stageLabel(b)} ${formatBytes(sizes.largestBuilder.size)}: `;
  const saved = sizes.saved ?? 0;
  return saved >= 0
    ? `${head}${formatSaving(saved, sizes.largestBuilder.size)} saved.`
    : `${head}the final image is ${formatBytes(-saved)} larger, so nothing was saved (saved = ${formatBytes(saved)}).`;
}

export function diffText(a: string, b: string, diff: DiffResult): string {
  const out: string[] = [`Diff ${safeText(a)} -> ${safeText(b)}`];
  const totals = diffTotals(diff);
  const rows: (string | number)[][] = [
    ...diff.added.map((e) => ['+', e.path, formatBytes(e.size)]),
    ...diff.removed.map((e) => ['-', e.path, formatBytes(e.size)]),
    ...diff.modified.map((e) => ['~', `${e.path} (${e.reasons.join(', ')})`, `${formatBytes(e.before)} -> ${formatBytes(e.after)}`]),
  ];
  out.push(rows.length ? renderTable(['', 'path', 'size'], rows, [2]) : '(no differences)');
  out.push('');
  out.push(
    `${formatCount(diff.added.length)} added (${formatDelta(totals.added)}), ${formatCount(diff.removed.length)} removed (${formatDelta(-totals.removed)}), ` +
      `${formatCount(diff.modified.length)} modified (${formatDelta(totals.modified)}); net ${formatDelta(diff.bytesAdded - diff.bytesRemoved)}.`,
  );
  return out.join('\n');
}
