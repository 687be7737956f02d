// The benchmark's figures as a table (terminal) and as the BENCHMARKS.md section.
import type { BenchResult } from './types.ts';

const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const mark = (met: boolean | null) => (met === null ? 'n/a' : met ? 'met' : 'MISSED');

/** Rows: measurement, figure, ratio / note. */
export function rows(r: BenchResult): [string, string, string][] {
  const out: [string, string, string][] = [
    ['(1) docker save of all stages > /dev/null', ms(r.saveMs), 'the floor'],
    ['(2) full analysis, export to end', ms(r.analysis.analysisMs), `${(r.analysis.analysisMs / r.saveMs).toFixed(2)} x (1)`],
    ['(2) same, with the cached builds before it', ms(r.analysis.wallMs), `${(r.analysis.wallMs / r.saveMs).toFixed(2)} x (1)`],
    ['(2) CPU time of the analysis process', ms(r.analysis.cpuMs), `${r.analysis.layersParsed} layers parsed`],
    ['(2) peak RSS of the analysis process', `${Math.round(r.analysis.maxRssMB)} MB`, ''],
    [`(3) diff of stages ${r.diff.stages[0]} and ${r.diff.stages[1]} (largest)`, ms(r.diff.ms), `${r.diff.entries} entries`],
    [
      '(4) re-analysis after a late change, export to end',
      ms(r.reanalysis.analysisMs),
      `${(r.reanalysis.analysisMs / r.analysis.analysisMs).toFixed(2)} x (2)`,
    ],
    [
      '(4) CPU time of the re-analysis, as the app after a build',
      ms(r.reanalysis.appCpuMs),
      `${((r.reanalysis.appCpuMs / r.analysis.appCpuMs) * 100).toFixed(1)} % of (2) the same way`,
    ],
    [
      '(4) same, then the Diff tab opened (its default pair)',
      ms(r.reanalysis.diffTabCpuMs),
      `${((r.reanalysis.diffTabCpuMs / r.analysis.diffTabCpuMs) * 100).toFixed(1)} % of (2) the same way`,
    ],
    [
      '(4) same, then the diffs of consecutive stages',
      ms(r.reanalysis.cpuMs),
      `${((r.reanalysis.cpuMs / r.analysis.cpuMs) * 100).toFixed(1)} % of (2)`,
    ],
    [
      '(4) analysis alone (stagescope analyze: no tree asked for)',
      ms(r.reanalysis.analysisCpuMs),
      `${((r.reanalysis.analysisCpuMs / r.analysis.analysisCpuMs) * 100).toFixed(1)} % of (2) alone`,
    ],
    ['(4) layers parsed again', String(r.reanalysis.layersParsed), `of ${r.reanalysis.layers}`],
    [
      '(5) cold: every stage, one target at a time',
      ms(r.builds.coldStageByStage),
      `${(r.builds.coldStageByStage / r.builds.coldFinal).toFixed(2)} x one build`,
    ],
    ['(5) cold: one build of the final target', ms(r.builds.coldFinal), ''],
    [
      '(5) warm: every stage, one target at a time',
      ms(r.builds.warmStageByStage),
      `${(r.builds.warmStageByStage / r.builds.warmFinal).toFixed(2)} x one build`,
    ],
    ['(5) warm: one build of the final target', ms(r.builds.warmFinal), ''],
  ];
  if ('notMeasured' in r.browser) out.push(['(6) Chromium tree figures', 'not measured', r.browser.notMeasured]);
  else {
    if (r.browser.openPaintMs !== undefined)
      out.push(['(6) Stage tab click to the tree painted (collapsed)', ms(r.browser.openPaintMs), '']);
    out.push([`(6) first paint after expand-all, tree of ${r.browser.nodes} rows`, ms(r.browser.firstPaintMs), '']);
    out.push(['(6) longest frame, scripted scroll', ms(r.browser.longestScrollFrameMs), '']);
    out.push(['(6) longest frame, expand-all', ms(r.browser.longestExpandFrameMs), '']);
    const f = r.browser.frames;
    if (f) {
      const load = f.underLoad ? 'one core kept busy' : 'no load generator';
      out.push([
        '(6) expand-all frames, p95 / max of 3 rounds',
        `${ms(f.expand.p95Ms)} / ${ms(f.expand.maxMs)}`,
        `${f.expand.frames} frames, ${load}`,
      ]);
      out.push([
        '(6) scroll frames, p95 / max of 3 rounds',
        `${ms(f.scroll.p95Ms)} / ${ms(f.scroll.maxMs)}`,
        `${f.scroll.frames} frames, ${load}`,
      ]);
    }
    if (r.browser.longestIdleFrameMs !== undefined)
      out.push(['(6) longest frame of the idle page (machine noise)', ms(r.browser.longestIdleFrameMs), '']);
    if (r.browser.rounds) {
      const each = r.browser.rounds.map(
        (x) =>
          `${Math.round(x.firstPaintMs)}/${Math.round(x.longestExpandFrameMs)}/${Math.round(x.longestScrollFrameMs)}/${Math.round(x.longestIdleFrameMs)}`,
      );
      out.push(['(6) rounds: paint/expand/scroll/idle ms', each.join(', '), 'medians above']);
    }
  }
  for (const b of r.bounds) {
    const rss = b.rssMB === undefined ? [] : [`peak RSS ${Math.round(b.rssMB)} MB`];
    out.push([`(7) ${b.what}`, ms(b.ms), [...rss, b.note ?? '', `was bounded in ${b.test}`].filter(Boolean).join('; ')]);
  }
  return out;
}

function pad(table: string[][]): string {
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function textReport(r: BenchResult): string {
  const f = r.fixture;
  return [
    `StageScope benchmark (${r.variant}), ${r.date}, ${r.machine.cpus} cores, ${r.machine.memoryGB} GB, Docker ${r.machine.engine}`,
    `fixture: ${f.stages.length} stages, ${f.layers} layers, ${f.layerEntries} layer entries; medians of ${r.runs} runs`,
    '',
    pad([['measurement', 'figure', 'ratio / note'], ...rows(r)]),
    '',
    pad([['target', 'result', 'figure'], ...r.targets.map((t) => [t.what, mark(t.met), t.detail])]),
  ].join('\n');
}

export function markdownSection(r: BenchResult): string {
  const f = r.fixture;
  const table = (head: string[], body: string[][]) =>
    [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...body.map((b) => `| ${b.join(' | ')} |`)].join('\n');
  return [
    `## ${r.date} (${r.variant})`,
    '',
    `Command: \`${r.command}\`  `,
    `Machine: ${r.machine.cpus} cores (${r.machine.cpuModel}), ${r.machine.memoryGB} GB memory, Node ${r.machine.node}, Docker Engine ${r.machine.engine}  `,
    `Fixture: ${f.stages.length} stages, ${f.layers} distinct layers, ${f.layerEntries} layer entries; medians of ${r.runs} runs.`,
    '',
    table(
      ['stage', 'files', 'bytes'],
      f.stages.map((s) => [`${s.index} ${s.name ?? ''}`.trim(), String(s.files), String(s.bytes)]),
    ),
    '',
    table(['measurement', 'figure', 'ratio / note'], rows(r)),
    '',
    table(
      ['target', 'result', 'figure'],
      r.targets.map((t) => [t.what, mark(t.met), t.detail]),
    ),
    '',
  ].join('\n');
}
