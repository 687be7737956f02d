// `.stagescope.yml`: read with the `yaml` library (it keeps every node's position) and
// validated with zod; every problem becomes one sentence naming the key and its line.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { StageScopeError } from '../../../shared/errors.ts';
import { MEASURED_RULES, type MeasuredRule, type RuleLevel } from '../../../shared/check.ts';
import { globProblem } from './globs.ts';
import { parseSize, SIZE_HINT } from './sizes.ts';

export interface Budget {
  maxSize?: number;
  maxLayers?: number;
  minEfficiency?: number;
  maxWasted?: number;
  forbid?: string[];
  require?: string[];
}
export interface GrowthBudget {
  maxBytes?: number;
  maxPercent?: number;
}
export interface CheckConfig {
  final?: Budget;
  stages?: Record<string, Budget>;
  growth?: { final?: GrowthBudget; stages?: Record<string, GrowthBudget> };
  ignore?: string[];
  rules?: Partial<Record<MeasuredRule, RuleLevel>>;
  /** Where the config came from (for messages) and the line of each key, by dotted path. */
  source: string | null;
  lines: Record<string, number>;
}

const size = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = parseSize(v);
  if (n === null) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a size (${SIZE_HINT})` });
    return z.NEVER;
  }
  return n;
});
const glob = z.string().superRefine((g, ctx) => {
  const problem = globProblem(g);
  if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(g)} is not a valid glob (${problem})` });
});
const budget = z
  .object({
    maxSize: size.optional(),
    maxLayers: z.number().int().min(1).optional(),
    minEfficiency: z.number().min(0).max(1).optional(),
    maxWasted: size.optional(),
    forbid: z.array(glob).optional(),
    require: z.array(glob).optional(),
  })
  .strict();
const growth = z.object({ maxBytes: size.optional(), maxPercent: z.number().min(0).optional() }).strict();
const level = z.enum(['off', 'info', 'warn', 'error']);
const rules = z.object(Object.fromEntries(MEASURED_RULES.map((r) => [r, level.optional()]))).strict();

export const configSchema = z
  .object({
    final: budget.optional(),
    stages: z.record(z.string(), budget).optional(),
    growth: z
      .object({ final: growth.optional(), stages: z.record(z.string(), growth).optional() })
      .strict()
      .optional(),
    ignore: z.array(glob).optional(),
    rules: rules.optional(),
  })
  .strict();

export const DEFAULT_CONFIG: CheckConfig = { source: null, lines: {} };

function lineOf(doc: Document, counter: LineCounter, path: (string | number)[], key?: string): number | null {
  const node = path.length ? doc.getIn(path, true) : doc.contents;
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (range) return counter.linePos(range[0]).line;
  return path.length ? lineOf(doc, counter, path.slice(0, -1)) : null;
}

function configError(source: string, line: number | null, what: string): StageScopeError {
  const where = line ? `${source} line ${line}` : source;
  return new StageScopeError('usage', `${where}: ${what}.`, 'Fix the config (see `stagescope help check`) and run again.', {
    config: source,
    line,
  });
}

function keyName(path: PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Every key's line, so later checks (a stage name that does not exist) can name it. */
function collectLines(doc: Document, counter: LineCounter): Record<string, number> {
  const lines: Record<string, number> = {};
  const walk = (node: unknown, prefix: string) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = prefix ? `${prefix}.${String(pair.key.value)}` : String(pair.key.value);
      const range = (pair.key as { range?: [number, number, number] }).range;
      if (range) lines[key] = counter.linePos(range[0]).line;
      walk(pair.value, key);
    }
  };
  walk(doc.contents, '');
  return lines;
}

/** Parses the text of a config; `source` names it in errors (usually the file's base name). */
export function parseConfig(text: string, source: string): CheckConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? counter.linePos(e.pos[0]).line;
    throw configError(source, line, `the YAML does not parse (${e.message.split('\n')[0].replace(/\.$/, '')})`);
  }
  const value = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw configError(source, 1, 'the config must be a mapping of keys (final, stages, growth, ignore, rules)');
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      const known = knownKeys(path);
      throw configError(
        source,
        lineOf(doc, counter, path, key),
        `unknown key "${keyName([...path, key])}"${known ? ` (known here: ${known})` : ''}`,
      );
    }
    const line = lineOf(doc, counter, path);
    const name = keyName(path) || 'the config';
    throw configError(source, line, `${name} ${describeIssue(issue)}`);
  }
  return { ...(parsed.data as Omit<CheckConfig, 'source' | 'lines'>), source, lines: collectLines(doc, counter) };
}

function knownKeys(path: (string | number)[]): string {
  const top = path[0];
  if (path.length === 0) return 'final, stages, growth, ignore, rules';
  if (top === 'final' || (top === 'stages' && path.length === 2)) return Object.keys(budget.shape).join(', ');
  if (top === 'growth' && path.length === 1) return 'final, stages';
  if (top === 'growth') return 'maxBytes, maxPercent';
  if (top === 'rules') return MEASURED_RULES.join(', ');
  return '';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return issue.message;
  if (issue.code === 'invalid_type')
    return `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : `a ${issue.expected}`}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') return `is out of range (${issue.message.toLowerCase().replace(/\.$/, '')})`;
  if (issue.code === 'invalid_union') return `must be a size (${SIZE_HINT})`;
  return issue.message.replace(/\.$/, '').toLowerCase();
}

/** Reads a config file; a missing explicit file is a usage error, a missing default file means defaults. */
export async function loadConfig(path: string, explicit: boolean): Promise<CheckConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG;
    throw new StageScopeError(
      'usage',
      `The config ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
      'Check the path given to --config.',
    );
  }
  return { ...parseConfig(text, explicit ? path : basename(path)) };
}
