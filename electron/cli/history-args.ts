// Parsing of the history and lineage commands; args.ts routes these names here and passes its
// own helpers (strict parsing, build flags, usage errors) so both files agree on every option.
import type { BuildFlags } from './args.ts';
import type { HistoryCommand } from './history-commands.ts';
import { INCLUDABLE_REASONS, parseIgnoreList, type IgnorableReason, type IncludableReason } from '../core/image/semantic-diff.ts';
import { StageScopeError } from '../../shared/errors.ts';

type Spec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean | string[] }>;
export interface ArgHelpers {
  buildOptions: Spec;
  strictParse(argv: string[], options: Spec, command: string): { values: Record<string, unknown>; positionals: string[] };
  buildFlags(values: Record<string, unknown>): BuildFlags;
  usage(message: string, command?: string): never;
}

export const HISTORY_COMMANDS = ['history', 'compare', 'diff-images', 'why', 'left-behind'] as const;

export function parseHistoryCommand(name: string, rest: string[], h: ArgHelpers): HistoryCommand {
  const json = { json: { type: 'boolean' as const, default: false } };
  switch (name) {
    case 'history': {
      const { values, positionals } = h.strictParse(rest, json, name);
      if (positionals.length !== 1) h.usage('history takes one folder or Dockerfile.', name);
      return { kind: 'history', path: positionals[0], json: Boolean(values.json) };
    }
    case 'compare': {
      const spec = {
        ...h.buildOptions,
        ...ignoreOptions,
        baseline: { type: 'string' as const, default: 'last' },
        markdown: { type: 'boolean' as const, default: false },
      };
      const { values, positionals } = h.strictParse(rest, spec, name);
      if (positionals.length !== 1) h.usage('compare takes one folder or Dockerfile.', name);
      if (values.json && values.markdown) h.usage('--json and --markdown exclude each other.', name);
      const baseline = String(values.baseline);
      if (!baseline) h.usage('--baseline needs last, a snapshot id or a report file.', name);
      return {
        kind: 'compare',
        path: positionals[0],
        build: h.buildFlags(values),
        baseline,
        format: values.json ? 'json' : values.markdown ? 'markdown' : 'text',
        ignore: ignoreFlags(values),
        include: parseInclude(String(values.include ?? '')),
      };
    }
    case 'diff-images': {
      const { values, positionals } = h.strictParse(rest, { ...json, ...ignoreOptions }, name);
      if (positionals.length !== 2) h.usage('diff-images takes two images (local image references or docker save archives).', name);
      const include = parseInclude(String(values.include ?? ''));
      return {
        kind: 'diff-images',
        a: positionals[0],
        b: positionals[1],
        json: Boolean(values.json),
        ignore: ignoreFlags(values),
        include,
      };
    }
    case 'why': {
      const { values, positionals } = h.strictParse(rest, h.buildOptions, name);
      if (positionals.length !== 3) h.usage('why takes a folder or Dockerfile, a stage (name or index) and a path in that stage.', name);
      return {
        kind: 'why',
        path: positionals[0],
        stage: positionals[1],
        file: positionals[2],
        build: h.buildFlags(values),
        json: Boolean(values.json),
      };
    }
    default: {
      const { values, positionals } = h.strictParse(rest, { ...h.buildOptions, top: { type: 'string', default: '10' } }, name);
      if (positionals.length !== 1) h.usage('left-behind takes one folder or Dockerfile.', name);
      const top = Number(values.top);
      if (!Number.isInteger(top) || top < 1 || top > 10_000)
        h.usage(`--top must be a whole number from 1 to 10000, got "${values.top}".`, name);
      return { kind: 'left-behind', path: positionals[0], build: h.buildFlags(values), json: Boolean(values.json), top };
    }
  }
}

export const HISTORY_USAGE = `  stagescope history <folder|Dockerfile> [--json]
  stagescope compare <folder|Dockerfile> [build options] [--baseline last|<snapshot-id>|<report.json>] [--ignore owner,mode,link] [--include mtime] [--json|--markdown]
  stagescope diff-images <imageA|archiveA.tar> <imageB|archiveB.tar> [--ignore owner,mode,link] [--include mtime] [--json]
  stagescope why <folder|Dockerfile> <stage> <path> [build options] [--json]
  stagescope left-behind <folder|Dockerfile> [build options] [--top N] [--json]`;

const SEMANTIC = `  --ignore LIST     hide changes that are only owner, mode and/or link (comma-separated)
  --include mtime   also list files whose modification time alone changed (reason mtime);
                    timestamps are ignored by default (docker build copies them from the context)
  Content is compared by sha256, never by size alone. A path removed and another added with
  the same content and type are listed once, as moved.`;

export const HISTORY_HELP: Record<string, string> = {
  history: `stagescope history <folder|Dockerfile> [--json]
  The snapshots of this Dockerfile, newest first: id, time, target, final size, per-stage sizes.
  Every analysis (CLI or app) records one; the last 20 per Dockerfile are kept beside the layer cache.`,
  compare: `stagescope compare <folder|Dockerfile> [build options] [--baseline B] [--json|--markdown]
  Builds and analyzes the current state, then compares it with the baseline, per stage and for
  the final image: files added, removed, modified (with reasons) and moved, bytes before/after,
  new layers, and the Dockerfile line that caused each change. Exit 0 whether or not anything changed.
  --baseline B      last (default: the previous snapshot of this Dockerfile and target), a
                    snapshot id (stagescope history), or a report file (analyze --json)
  --markdown        a summary to paste as a pull-request comment
  --json            the comparison as JSON
${SEMANTIC}
  Takes analyze's build options.`,
  'diff-images': `stagescope diff-images <imageA|archiveA.tar> <imageB|archiveB.tar> [--json]
  Diff of any two images: local image references or docker save archives (one image each).
${SEMANTIC}`,
  why: `stagescope why <folder|Dockerfile> <stage> <path> [build options] [--json]
  The history of one path in a stage's image, origin first: every layer that added, modified or
  removed it (stage, layer, Dockerfile line, size, hash), and through COPY --from the source
  stage or image, the source path and that file's own history there.`,
  'left-behind': `stagescope left-behind <folder|Dockerfile> [build options] [--top N] [--json]
  For each builder stage, the largest files (N, default 10) that never reach the target:
  no FROM chain and no COPY --from takes them.`,
};

// The diff options shared by diff, compare and diff-images. Here, not beside the commands, so
// parsing (and --help) never loads the engine.
export const ignoreOptions = { ignore: { type: 'string' as const, default: '' }, include: { type: 'string' as const, default: '' } };

/** `--include` names what is hidden by default (timestamps); anything else is a usage error. */
export function parseInclude(value: string): IncludableReason[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!(INCLUDABLE_REASONS as readonly string[]).includes(item)) {
      throw new StageScopeError('usage', `--include takes ${INCLUDABLE_REASONS.join(', ')}, not "${item}".`, null);
    }
  }
  return [...new Set(items)] as IncludableReason[];
}

export function ignoreFlags(values: Record<string, unknown>): IgnorableReason[] {
  return parseIgnoreList(String(values.ignore ?? ''));
}
