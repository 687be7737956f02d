// `stagescope check` through the command line: every format (SARIF validated against the
// SARIF 2.1.0 schema, JUnit parsed as XML), the GitHub job summary, --output, and every exit
// code (0 pass, 1 an error-severity rule failed, 2 usage or config, 3 the build failed).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../electron/cli/main.ts';
import type { CheckReport } from '../../../shared/check.ts';
import { engine } from '../harness.ts';
import { makeTempDir, removeTempDirs } from '../../support/temp.ts';
import { CLEAN, DIRTY, FAILING, LINE, removeProjectImages, writeProject } from './projects.ts';

const exec = promisify(execFile);
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** A real `node bin/stagescope.js check` process: the exit code as a shell sees it. */
async function cliProcess(args: string[], env: Record<string, string> = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await exec('node', ['bin/stagescope.js', 'check', ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The same main() in this process (a node start costs seconds on a loaded CI machine). */
async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (sink: string[]) => ((chunk: string | Uint8Array) => (sink.push(String(chunk)), true)) as typeof process.stdout.write;
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await main(['check', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

let tmp = '';
let dirty = '';
let clean = '';
let failing = '';
const CONFIG = 'final:\n  maxSize: 1MB\n  forbid: ["/var/lib/apt/lists/**"]\nrules:\n  secrets-in-layers: error\n';

describe('stagescope check (CLI)', () => {
  beforeAll(async () => {
    await engine();
    tmp = await makeTempDir('stagescope-check-cli-');
    dirty = join(tmp, 'dirty');
    clean = join(tmp, 'clean');
    failing = join(tmp, 'failing');
    await writeProject(dirty, DIRTY, { '.stagescope.yml': CONFIG });
    await writeProject(clean, CLEAN);
    await writeProject(failing, FAILING);
    await writeFile(join(tmp, 'growth.yml'), 'growth:\n  final: { maxBytes: 0 }\n');
  });
  afterAll(async () => {
    for (const dir of [dirty, clean, failing]) if (dir) await removeProjectImages(resolve(dir, 'Dockerfile'));
    await removeTempDirs();
  });

  it('text: a table per stage, failures first, exit 1, no colors off a terminal', async () => {
    const r = await cliProcess([dirty]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('Config: .stagescope.yml');
    expect(r.stdout).toContain('BuildKit checks: not available on this engine');
    expect(r.stdout).toMatch(/^FAILED: \d+ errors/m);
    const final = r.stdout.slice(r.stdout.indexOf('Stage stage-2'));
    expect(final.split('\n')[3]).toMatch(/^FAIL\s+(maxSize|forbid|secrets-in-layers)/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('json: status, results with rule, severity, stage, line, bytes, paths, limit, actual', async () => {
    const out = join(tmp, 'report.json');
    const r = await cli([dirty, '--format', 'json', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const report = JSON.parse(await readFile(out, 'utf8')) as CheckReport;
    expect(report.status).toBe('fail');
    const size = report.results.find((x) => x.rule === 'maxSize')!;
    expect(size).toMatchObject({ severity: 'error', passed: false, stage: 'stage-2', limit: 1_000_000 });
    expect(size.actual).toBe(size.bytes);
    expect(report.results.find((x) => x.rule === 'secrets-in-layers' && x.paths?.includes('/root/.ssh/id_rsa'))).toMatchObject({
      severity: 'error',
      line: LINE.write,
    });
  });

  it('markdown: a PR comment with a headline, failures with lines and collapsed details', async () => {
    const r = await cli([dirty, '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^### ❌ StageScope check failed/);
    expect(r.stdout).toContain('Final image: **');
    expect(r.stdout).toMatch(/\| ❌ \| stage-2 \| `forbid` \| 8 \|/);
    expect(r.stdout).toContain('<details>');
  });

  it('junit: valid XML, one testsuite per stage, one testcase per rule', async () => {
    const r = await cli([dirty, '--format', 'junit']);
    expect(r.code).toBe(1);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(r.stdout);
    const suites = xml.testsuites.testsuite as { '@_name': string; testcase: { '@_name': string; failure?: unknown }[] }[];
    expect(suites.map((s) => s['@_name']).sort()).toEqual(['debug', 'stage-2']);
    const final = suites.find((s) => s['@_name'] === 'stage-2')!;
    const names = final.testcase.map((t) => t['@_name']);
    expect(new Set(names).size).toBe(names.length);
    expect(final.testcase.find((t) => t['@_name'] === 'maxSize')!.failure).toBeDefined();
    expect(final.testcase.find((t) => t['@_name'] === 'whole-stage-copy')!.failure).toBeUndefined(); // a warning
  });

  it('sarif: valid against the SARIF 2.1.0 schema, located at the Dockerfile and line', async () => {
    const r = await cli([dirty, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(await readFile('tests/support/schemas/sarif-2.1.0-rtm.5.json', 'utf8'));
    // The schema's patterns are not all valid in unicode mode; they are as plain RegExps.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = log.runs[0].results as {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
    const forbid = results.find((x) => x.ruleId === 'forbid')!;
    expect(forbid.level).toBe('error');
    expect(forbid.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'Dockerfile' }, region: { startLine: LINE.write } });
    expect(results.find((x) => x.ruleId === 'unused-stage')!.level).toBe('note');
  });

  it('github: workflow commands on the lines, and the markdown job summary', async () => {
    const summary = join(tmp, 'summary.md');
    await writeFile(summary, '');
    const r = await cli([dirty, '--format', 'github'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=Dockerfile,line=8,title=forbid \(stage-2\)::Stage stage-2 has 1 forbidden path/m);
    expect(r.stdout).toMatch(/^::warning file=Dockerfile,line=12,title=whole-stage-copy \(stage-2\)::/m);
    expect(r.stdout).toMatch(/^::notice file=Dockerfile,line=4,title=unused-stage \(debug\)::/m);
    expect(await readFile(summary, 'utf8')).toMatch(/^### ❌ StageScope check failed/);
  });

  it('exit 0 when every rule passes, with the defaults when there is no config', async () => {
    const r = await cli([clean]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Config: defaults (no .stagescope.yml)');
    expect(r.stdout).toMatch(/^PASSED: 0 errors, 0 warnings/m);
  });

  it('exit 2 for an invalid config, naming the key and line in one sentence, before any build', async () => {
    const cases: [string, RegExp][] = [
      ['final:\n  maxSzie: 50MB\n', /^stagescope: \S+\.yml line 2: unknown key "final\.maxSzie" \(known here: maxSize, /],
      [
        'final:\n  forbid: ["/ok/**"]\n  maxSize: 50 megs\n',
        /^stagescope: \S+\.yml line 3: final\.maxSize "50 megs" is not a size \(write it like 50MB, 1\.5GiB or a number of bytes\)\./,
      ],
      [
        'ignore:\n  - "/tmp/**"\n  - "/var/[abc"\n',
        /^stagescope: \S+\.yml line 3: ignore\.1 "\/var\/\[abc" is not a valid glob \(Missing closing: "\]"\)\./,
      ],
      ['stages:\n  buildr: { maxSize: 1GB }\n', /^stagescope: \S+\.yml line 2: stages\.buildr names no stage of the Dockerfile/],
    ];
    for (const [yml, pattern] of cases) {
      const file = join(tmp, 'bad.yml');
      await writeFile(file, yml);
      const r = await cli([clean, '--config', file]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toContain('==> building');
    }
  });

  it('exit 2 for bad usage: an unknown format, a baseline that does not exist', async () => {
    expect((await cli([clean, '--format', 'xml'])).stderr).toMatch(/--format must be one of text, json, markdown, junit, sarif, github/);
    const missing = await cli([clean, '--baseline', join(tmp, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^stagescope: No snapshot or report file named .*nope\.json/);
  });

  it('--baseline last: growth against the previous analysis from the snapshot store', async () => {
    // The analyses above recorded snapshots of the clean project (the store is per machine, under the cache folder).
    const r = await cli([clean, '--baseline', 'last', '--format', 'json', '--config', join(tmp, 'growth.yml')]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.baseline).toMatch(/^snapshot \S+/);
    expect(report.results.find((x) => x.rule === 'growth.maxBytes')).toMatchObject({ passed: true, bytes: 0 });
    expect(report.growth[0]).toMatchObject({ stage: 'stage-1', bytes: 0 });
  });

  it('exit 3 when the build fails, with status "error" in the report', async () => {
    const r = await cliProcess([failing, '--format', 'json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.status).toBe('error');
    expect(report.error).toMatch(/line 2/);
    expect(r.stderr).toContain('stagescope: check could not run');
  });
});
