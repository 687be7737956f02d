// `--format sarif`: SARIF 2.1.0, one result per failed check, located at the Dockerfile path
// relative to the project folder and the line, so code scanning pins it to the line.
import type { CheckReport, CheckResult } from '../../../../shared/check.ts';
import { MEASURED_RULES } from '../../../../shared/check.ts';
import { RULES } from '../rules/index.ts';

const LEVEL = { error: 'error', warn: 'warning', info: 'note' } as const;
const BUDGET_TITLES: Record<string, string> = {
  maxSize: 'Image size budget',
  maxLayers: 'Layer count budget',
  minEfficiency: "Efficiency budget (StageScope's efficiency)",
  maxWasted: 'Wasted bytes budget',
  forbid: 'Forbidden paths',
  require: 'Required paths',
  'growth.maxBytes': 'Growth against the baseline, in bytes',
  'growth.maxPercent': 'Growth against the baseline, in percent',
};

function ruleTitle(id: string): string {
  if ((MEASURED_RULES as readonly string[]).includes(id)) return RULES[id as keyof typeof RULES].title;
  if (id.startsWith('dive.')) return `dive CI rule ${id.slice(5)} (dive's semantics)`;
  if (id.startsWith('buildkit.')) return `BuildKit check ${id.slice(9)}`;
  return BUDGET_TITLES[id] ?? id;
}

export function checkSarif(report: CheckReport, version: string): string {
  const failed = report.results.filter((r) => !r.passed);
  const ids = [...new Set(report.results.map((r) => r.rule))];
  const uri = report.dockerfilePath.replace(/\\/g, '/');
  const result = (r: CheckResult) => ({
    ruleId: r.rule,
    ruleIndex: ids.indexOf(r.rule),
    level: LEVEL[r.severity],
    message: { text: r.message },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: Math.max(1, r.line ?? 1) } } }],
    properties: {
      stage: r.stage,
      ...(r.bytes !== undefined ? { bytes: r.bytes } : {}),
      ...(r.paths ? { paths: r.paths } : {}),
      ...(r.limit !== undefined ? { limit: r.limit } : {}),
      ...(r.actual !== undefined ? { actual: r.actual } : {}),
    },
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'StageScope',
            version,
            informationUri: 'https://github.com/stagescope/stagescope',
            rules: ids.map((id) => ({ id, shortDescription: { text: ruleTitle(id) } })),
          },
        },
        invocations: [
          {
            executionSuccessful: report.status !== 'error',
            ...(report.error ? { toolExecutionNotifications: [{ level: 'error', message: { text: report.error } }] } : {}),
          },
        ],
        results: failed.map(result),
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
