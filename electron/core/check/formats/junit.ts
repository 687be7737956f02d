// `--format junit`: one testsuite per stage, one testcase per rule (several findings of a rule
// become one testcase). A failed error-severity rule is a <failure>; warnings and info are
// passing testcases whose findings go to <system-out>, so CI shows them without failing.
import type { CheckReport, CheckResult } from '../../../../shared/check.ts';

export function xmlEscape(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest escaped.
  return (
    text
      // eslint-disable-next-line no-control-regex -- the control characters XML allows are the point
      .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
      .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
  );
}

function describe(r: CheckResult): string {
  return `${r.line ? `line ${r.line}: ` : ''}${r.message}${r.paths?.length ? ` [${r.paths.join(', ')}]` : ''}`;
}

export function checkJunit(report: CheckReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (report.status === 'error') {
    out.push('<testsuites name="stagescope check" tests="1" failures="0" errors="1">');
    out.push('  <testsuite name="build" tests="1" failures="0" errors="1">');
    out.push(
      `    <testcase name="build" classname="stagescope"><error message="${xmlEscape(report.error ?? 'the build failed')}"/></testcase>`,
    );
    out.push('  </testsuite>', '</testsuites>');
    return out.join('\n');
  }
  const byStage = new Map<string, Map<string, CheckResult[]>>();
  for (const r of report.results) {
    const stage = r.stage ?? 'Dockerfile';
    const rules = byStage.get(stage) ?? new Map<string, CheckResult[]>();
    byStage.set(stage, rules);
    rules.set(r.rule, [...(rules.get(r.rule) ?? []), r]);
  }
  let total = 0;
  let failures = 0;
  const suites: string[] = [];
  for (const [stage, rules] of byStage) {
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const [rule, results] of rules) {
      const failed = results.filter((r) => !r.passed);
      const errors = failed.filter((r) => r.severity === 'error');
      const name = `${rule}`;
      const classname = `stagescope.${stage}`;
      if (errors.length) {
        suiteFailures++;
        const text = errors.map(describe).join('\n');
        cases.push(
          `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(classname)}" file="${xmlEscape(report.dockerfilePath)}"${errors[0].line ? ` line="${errors[0].line}"` : ''}>\n      <failure message="${xmlEscape(errors[0].message)}" type="${xmlEscape(rule)}">${xmlEscape(text)}</failure>\n    </testcase>`,
        );
      } else if (failed.length) {
        cases.push(
          `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(classname)}">\n      <system-out>${xmlEscape(failed.map((r) => `${r.severity}: ${describe(r)}`).join('\n'))}</system-out>\n    </testcase>`,
        );
      } else {
        cases.push(`    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(classname)}"/>`);
      }
    }
    total += rules.size;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${xmlEscape(stage)}" tests="${rules.size}" failures="${suiteFailures}" errors="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  out.push(`<testsuites name="stagescope check" tests="${total}" failures="${failures}" errors="0">`, ...suites, '</testsuites>');
  return out.join('\n');
}
