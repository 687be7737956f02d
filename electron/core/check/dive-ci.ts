// dive's CI file (`.dive-ci`): three thresholds under `rules:`, each a value or "disabled".
// Evaluated with dive's own efficiency (see dive-efficiency.ts), so a team switching from
// `dive --ci` keeps the verdicts it had.
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { StageScopeError } from '../../../shared/errors.ts';
import { parseSize, SIZE_HINT } from './sizes.ts';

export interface DiveCiRules {
  lowestEfficiency?: number;
  highestWastedBytes?: number;
  highestUserWastedPercent?: number;
  source: string;
}

const KEYS = ['lowestEfficiency', 'highestWastedBytes', 'highestUserWastedPercent'] as const;

export function parseDiveCi(text: string, source: string): DiveCiRules {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  const fail = (line: number | null, what: string) =>
    new StageScopeError('usage', `${source}${line ? ` line ${line}` : ''}: ${what}.`, 'Fix the dive CI file and run again.', {
      config: source,
      line,
    });
  if (doc.errors.length)
    throw fail(
      doc.errors[0].linePos?.[0]?.line ?? counter.linePos(doc.errors[0].pos[0]).line,
      `the YAML does not parse (${doc.errors[0].message.split('\n')[0].replace(/\.$/, '')})`,
    );
  const out: DiveCiRules = { source };
  const root = doc.contents;
  if (root === null) return out;
  if (!isMap(root)) throw fail(1, 'a dive CI file is a mapping with a "rules" key');
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    const line = (pair.key as { range?: number[] })?.range ? counter.linePos((pair.key as { range: number[] }).range[0]).line : null;
    if (key !== 'rules') throw fail(line, `unknown key "${key}" (a dive CI file has only "rules")`);
    if (pair.value === null) continue;
    if (!isMap(pair.value)) throw fail(line, '"rules" must be a mapping');
    for (const rule of pair.value.items) {
      const name = isScalar(rule.key) ? String(rule.key.value) : '?';
      const at = (rule.key as { range?: number[] })?.range ? counter.linePos((rule.key as { range: number[] }).range[0]).line : null;
      if (!(KEYS as readonly string[]).includes(name)) throw fail(at, `unknown key "rules.${name}" (known here: ${KEYS.join(', ')})`);
      const raw = isScalar(rule.value) ? rule.value.value : null;
      if (raw === 'disabled') continue;
      if (name === 'highestWastedBytes') {
        const bytes = raw === null ? null : parseSize(raw as string | number);
        if (bytes === null) throw fail(at, `rules.${name} ${JSON.stringify(raw)} is not a size (${SIZE_HINT}) nor "disabled"`);
        out.highestWastedBytes = bytes;
      } else {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
        if (!Number.isFinite(n) || n < 0 || n > 1)
          throw fail(at, `rules.${name} ${JSON.stringify(raw)} must be a ratio from 0 to 1 or "disabled"`);
        out[name as 'lowestEfficiency' | 'highestUserWastedPercent'] = n;
      }
    }
  }
  return out;
}

export async function loadDiveCi(path: string): Promise<DiveCiRules> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new StageScopeError(
      'usage',
      `The dive CI file ${path} cannot be read (${err.code ?? err.message}).`,
      'Check the path given to --dive-ci.',
    );
  });
  return parseDiveCi(text, path);
}
