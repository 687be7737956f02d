// The output formats on a canned report with a hostile path: each format keeps it data.
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { CheckReport } from '../../../../shared/check.ts';
import { checkGithub, escapeData, escapeProperty } from './github.ts';
import { checkJunit } from './junit.ts';
import { checkMarkdown } from './markdown.ts';
import { checkSarif } from './sarif.ts';
import { checkText, shouldColor } from '../../../cli/check-text.ts';
import { parseBuildkitChecks } from '../buildkit.ts';

const HOSTILE = '/app/<b>x</b>&"%\n::error::@team';

const report: CheckReport = {
  status: 'fail',
  dockerfile: '/p/Dockerfile',
  dockerfilePath: 'Dockerfile',
  target: 'final',
  targetIndex: 1,
  config: '.stagescope.yml',
  semantics: ["StageScope's efficiency"],
  buildkitChecks: { available: false, message: 'BuildKit checks: not available on this engine' },
  finalSize: 5_000_000,
  baseline: 'base.json',
  growth: [{ stage: 'final', before: 4_000_000, after: 5_000_000, bytes: 1_000_000, percent: 25 }],
  notes: [],
  results: [
    {
      rule: 'forbid',
      severity: 'error',
      passed: false,
      stage: 'final',
      stageIndex: 1,
      line: 4,
      message: `Stage final has 1 forbidden path, first ${HOSTILE}.`,
      paths: [HOSTILE],
    },
    {
      rule: 'unused-stage',
      severity: 'info',
      passed: false,
      stage: 'debug',
      stageIndex: 0,
      line: 1,
      message: 'Stage debug is not needed.',
    },
    { rule: 'maxSize', severity: 'error', passed: true, stage: 'final', stageIndex: 1, line: 3, message: 'Stage final is 5.00 MB.' },
  ],
  summary: { errors: 1, warnings: 0, infos: 1, passed: 1 },
};

describe('check output formats', () => {
  it('github: workflow commands with data and properties escaped', () => {
    expect(escapeData('a%b\r\nc')).toBe('a%25b%0D%0Ac');
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc');
    const lines = checkGithub(report).split('\n');
    expect(lines[0]).toBe(
      `::error file=Dockerfile,line=4,title=forbid (final)::Stage final has 1 forbidden path, first /app/<b>x</b>&"%25%0A::error::@team.`,
    );
    expect(lines[1]).toMatch(/^::notice file=Dockerfile,line=1,title=unused-stage \(debug\)::/);
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(2);
  });

  it('junit: well-formed XML whatever the path holds', () => {
    const xml = checkJunit(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(doc.testsuites['@_failures']).toBe('1');
    expect(String(doc.testsuites.testsuite[0].testcase[0].failure['#text'])).toContain(HOSTILE.replace('\n', '\n'));
  });

  it('markdown: headline, growth, and paths escaped out of markup', () => {
    const md = checkMarkdown(report);
    expect(md.split('\n')[0]).toBe('### ❌ StageScope check failed');
    expect(md).toContain('final: +1.00 MB (+25.0 %) against base.json');
    expect(md).not.toContain('<b>');
    expect(md).toContain('\\<b\\>x\\</b\\>');
    expect(md).not.toMatch(/(^|[^\\])@team/);
  });

  it('sarif: a result per failure with level and location', () => {
    const log = JSON.parse(checkSarif(report, '1.2.3'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'StageScope', version: '1.2.3' });
    expect(log.runs[0].results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level])).toEqual([
      ['forbid', 'error'],
      ['unused-stage', 'note'],
    ]);
  });

  it('text: colors only when asked, control characters escaped', () => {
    const plain = checkText(report, false);
    expect(plain).not.toContain('\x1b[');
    expect(plain).toContain('\\x0a::error::@team');
    expect(checkText(report, true)).toContain('\x1b[31mFAIL\x1b[0m');
    expect(shouldColor(true, {})).toBe(true);
    expect(shouldColor(true, { NO_COLOR: '' })).toBe(false);
    expect(shouldColor(false, {})).toBe(false);
    expect(shouldColor(true, { TERM: 'dumb' })).toBe(false);
  });

  it("reads BuildKit's --call=check JSON into warnings with their lines", () => {
    const json = JSON.stringify({
      warnings: [
        {
          ruleName: 'StageNameCasing',
          description: 'Stage names should be lowercase',
          detail: ["Stage name 'Builder' should be lowercase"],
          location: { ranges: [{ start: { line: 4 } }] },
        },
      ],
    });
    expect(parseBuildkitChecks(json)).toEqual([
      {
        rule: 'buildkit.StageNameCasing',
        passed: false,
        stage: null,
        stageIndex: null,
        line: 4,
        message: "StageNameCasing: Stage name 'Builder' should be lowercase",
      },
    ]);
  });
});
