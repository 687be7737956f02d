// Command-line parsing for `stagescope`, on node's own util.parseArgs. Bad usage becomes a
// StageScopeError('usage') so main() can print one sentence and exit 2.
import { parseArgs } from 'node:util';
import { StageScopeError } from '../../shared/errors.ts';
import type { CheckCommand } from './check.ts';
import { FORMATS, type CheckFormat } from '../core/check/formats/names.ts';
import type { HistoryCommand } from './history-commands.ts';
import type { IgnorableReason, IncludableReason } from '../core/image/semantic-diff.ts';
import {
  HISTORY_COMMANDS,
  HISTORY_HELP,
  HISTORY_USAGE,
  ignoreFlags,
  ignoreOptions,
  parseHistoryCommand,
  parseInclude,
} from './history-args.ts';

export type Command =
  | { kind: 'help'; topic: string | null }
  | { kind: 'version' }
  | { kind: 'analyze'; path: string; build: BuildFlags; json: boolean }
  | {
      kind: 'diff';
      path: string;
      a: string;
      b: string;
      build: BuildFlags;
      json: boolean;
      ignore?: IgnorableReason[];
      include?: IncludableReason[];
    }
  | { kind: 'inspect'; ref: string; json: boolean; source: SourceFlags }
  | { kind: 'cat'; ref: string; path: string; output: string | null; source: SourceFlags }
  | { kind: 'ls'; source: string; stage: string | null; layer: number | null; build: BuildFlags; json: boolean }
  | { kind: 'prune'; json: boolean }
  | { kind: 'serve'; path: string | null; port: number }
  | CheckCommand
  | HistoryCommand;

/** Where `inspect` reads an image from (see core/source). */
export interface SourceFlags {
  platform?: string;
  defaultKind?: 'engine' | 'registry';
  caCertFile?: string;
  insecure?: boolean;
}

const sourceOptions: OptionSpec = {
  json: { type: 'boolean', default: false },
  platform: { type: 'string' },
  source: { type: 'string' },
  'ca-cert': { type: 'string' },
  insecure: { type: 'boolean', default: false },
};

function sourceFlags(values: Record<string, unknown>, command: string): SourceFlags {
  const source = values.source as string | undefined;
  if (source !== undefined && source !== 'engine' && source !== 'registry')
    usage(`--source must be engine or registry, got "${source}".`, command);
  return {
    platform: values.platform as string | undefined,
    defaultKind: source as SourceFlags['defaultKind'],
    caCertFile: values['ca-cert'] as string | undefined,
    insecure: Boolean(values.insecure),
  };
}

export interface BuildFlags {
  target?: string;
  allStages: boolean;
  buildArgs: Record<string, string>;
  builder: 'buildkit' | 'classic';
  noCache: boolean;
}

const buildOptions: OptionSpec = {
  target: { type: 'string' },
  'all-stages': { type: 'boolean', default: false },
  'build-arg': { type: 'string', multiple: true, default: [] as string[] },
  classic: { type: 'boolean', default: false },
  'no-cache': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
};

function usage(message: string, command?: string): never {
  const hint = command ? `Run \`stagescope help ${command}\` for its options.` : 'Run `stagescope --help` for usage.';
  throw new StageScopeError('usage', message, hint);
}

function parseBuildArgs(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of values) {
    const eq = kv.indexOf('=');
    if (eq <= 0) usage(`--build-arg expects KEY=VALUE, got "${kv}".`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean | string[] }>;

function strictParse(argv: string[], options: OptionSpec, command: string): { values: Record<string, unknown>; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    usage(`${(err as Error).message.replace(/\.$/, '')}.`, command);
  }
}

function buildFlags(values: Record<string, unknown>): BuildFlags {
  return {
    target: values.target as string | undefined,
    allStages: Boolean(values['all-stages']),
    buildArgs: parseBuildArgs((values['build-arg'] as string[]) ?? []),
    builder: values.classic ? 'classic' : 'buildkit',
    noCache: Boolean(values['no-cache']),
  };
}

export function parseCommand(argv: string[]): Command {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') return { kind: 'help', topic: null };
  if (name === 'help') return { kind: 'help', topic: rest[0] ?? null };
  if (name === '--version' || name === '-v' || name === 'version') return { kind: 'version' };
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', topic: name };

  switch (name) {
    case 'analyze': {
      const { values, positionals } = strictParse(rest, buildOptions, name);
      if (positionals.length !== 1) usage('analyze takes one folder or Dockerfile.', name);
      return { kind: 'analyze', path: positionals[0], build: buildFlags(values), json: Boolean(values.json) };
    }
    case 'diff': {
      const { values, positionals } = strictParse(rest, { ...buildOptions, ...ignoreOptions }, name);
      if (positionals.length !== 3) usage('diff takes a folder or Dockerfile and two stages (name or index).', name);
      return {
        kind: 'diff',
        path: positionals[0],
        a: positionals[1],
        b: positionals[2],
        build: buildFlags(values),
        json: Boolean(values.json),
        ignore: ignoreFlags(values),
        include: parseInclude(String(values.include ?? '')),
      };
    }
    case 'inspect': {
      const { values, positionals } = strictParse(rest, sourceOptions, name);
      if (positionals.length !== 1) usage('inspect takes one image reference or saved archive (.tar).', name);
      return { kind: 'inspect', ref: positionals[0], json: Boolean(values.json), source: sourceFlags(values, name) };
    }
    case 'cat': {
      const options: OptionSpec = { ...sourceOptions, output: { type: 'string', short: 'o' } };
      delete options.json;
      const { values, positionals } = strictParse(rest, options, name);
      if (positionals.length !== 2) usage('cat takes an image (or archive, oci:DIR, registry:…) and the path of one file in it.', name);
      const path = positionals[1];
      if (!path.startsWith('/')) usage(`cat takes the file's absolute path in the image, got "${path}".`, name);
      const output = (values.output as string | undefined) ?? null;
      return { kind: 'cat', ref: positionals[0], path, output, source: sourceFlags(values, name) };
    }
    case 'ls': {
      const { values, positionals } = strictParse(rest, { ...buildOptions, layer: { type: 'string' } }, name);
      if (positionals.length < 1 || positionals.length > 2)
        usage('ls takes an image, a saved archive, or a folder (or Dockerfile) and a stage.', name);
      const layerText = values.layer as string | undefined;
      if (layerText !== undefined && !/^(0|[1-9]\d{0,4})$/.test(layerText))
        usage(`--layer takes a layer number (0 = bottom), got "${layerText}".`, name);
      return {
        kind: 'ls',
        source: positionals[0],
        stage: positionals[1] ?? null,
        layer: layerText === undefined ? null : Number(layerText),
        build: buildFlags(values),
        json: Boolean(values.json),
      };
    }
    case 'prune': {
      const { values, positionals } = strictParse(rest, { json: { type: 'boolean', default: false } }, name);
      if (positionals.length !== 0) usage('prune takes no arguments.', name);
      return { kind: 'prune', json: Boolean(values.json) };
    }
    case 'serve': {
      const { values, positionals } = strictParse(rest, { port: { type: 'string', default: '0' } }, name);
      if (positionals.length > 1) usage('serve takes at most one folder.', name);
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        usage(`--port must be a number from 0 to 65535, got "${values.port}".`, name);
      return { kind: 'serve', path: positionals[0] ?? null, port };
    }
    case 'check': {
      const options: OptionSpec = {
        ...buildOptions,
        config: { type: 'string' },
        'dive-ci': { type: 'string' },
        baseline: { type: 'string' },
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
      };
      const { values, positionals } = strictParse(rest, options, name);
      if (positionals.length !== 1) usage('check takes one folder or Dockerfile.', name);
      const format = (values.json ? 'json' : values.format) as string;
      if (!(FORMATS as readonly string[]).includes(format)) usage(`--format must be one of ${FORMATS.join(', ')}, got "${format}".`, name);
      const str = (k: string) => (values[k] as string | undefined) ?? null;
      return {
        kind: 'check',
        path: positionals[0],
        build: buildFlags(values),
        config: str('config'),
        diveCi: str('dive-ci'),
        baseline: str('baseline'),
        format: format as CheckFormat,
        output: str('output'),
      };
    }
    default:
      if ((HISTORY_COMMANDS as readonly string[]).includes(name))
        return parseHistoryCommand(name, rest, { buildOptions, strictParse, buildFlags, usage });
      usage(`Unknown command "${name}".`);
  }
}

export const HELP: Record<string, string> = {
  '': `stagescope — see inside every stage of a multi-stage Docker build

Usage:
  stagescope analyze <folder|Dockerfile> [--target T] [--all-stages] [--build-arg K=V]... [--classic] [--no-cache] [--json]
  stagescope diff <folder|Dockerfile> <stageA> <stageB> [build options] [--json]
  stagescope inspect <image-ref|archive.tar|oci:DIR|oci-archive:FILE|registry:HOST/REPO:TAG> [--platform P] [--json]
  stagescope ls <image-ref|archive.tar|folder stage> [--layer N] [--json]
  stagescope cat <image-ref|archive.tar|oci:DIR|oci-archive:FILE|registry:…> </path> [-o FILE]
  stagescope prune [--json]
  stagescope serve [folder] [--port N]
  stagescope check <folder|Dockerfile> [build options] [--config FILE] [--dive-ci FILE] [--baseline last|ID|FILE] [--format F] [--output FILE]
${HISTORY_USAGE}

Exit codes: 0 ok, 1 analysis or build failed, 2 bad usage (check: see \`stagescope help check\`).
The Docker Engine is found as the docker CLI finds it: DOCKER_HOST, DOCKER_TLS_VERIFY,
DOCKER_CERT_PATH, DOCKER_CONTEXT or the current docker context.`,
  analyze: `stagescope analyze <folder|Dockerfile> [options]
  Builds the stages the target needs (BuildKit) or every stage up to it (--classic), then
  reports each stage's layers, files, efficiency, what every COPY --from pulled, and sizes.
  --target T        stage to build (name or index; default: the last stage)
  --all-stages      build every stage, needed or not
  --build-arg K=V   a build argument (repeatable)
  --classic         use the classic builder instead of BuildKit
  --no-cache        do not use the build cache
  --json            print the report as JSON on stdout (progress stays on stderr)`,
  diff: `stagescope diff <folder|Dockerfile> <stageA> <stageB> [options]
  Builds what the two stages need, then lists the files added, removed, modified and moved
  from A to B. Takes analyze's build options, --json, --ignore owner,mode,link and --include
  mtime (timestamps are ignored unless included; content is compared by sha256).`,
  inspect: `stagescope inspect <source> [--platform os/arch[/variant]] [--source engine|registry] [--ca-cert FILE] [--insecure] [--json]
  Layer and file-tree analysis of any image, no Dockerfile needed. <source> is one of:
    NAME[:TAG]                   an image on the Docker Engine
    FILE.tar                     a docker save archive
    oci:DIR[:TAG]                an OCI image layout folder (skopeo, umoci, buildx type=oci)
    oci-archive:FILE             an OCI layout in a tar
    registry:HOST/REPO:TAG|@DIGEST  read from a registry, no daemon (--source registry: plain names too)
  --platform        which image of a multi-platform index (default: this machine's)
  --ca-cert FILE    trust this CA for the registry besides the system CAs
  --insecure        allow plain HTTP / unverified TLS to a registry that is not on loopback
  Registry logins come from ~/.docker/config.json and its docker-credential-* helpers.`,
  ls: `stagescope ls <image-ref|archive.tar> [--layer N] [--json]
stagescope ls <folder|Dockerfile> <stage> [build options] [--layer N] [--json]
  Lists every entry StageScope sees: type, mode, uid:gid, size, content hash (sha256), path,
  link target. Without --layer the merged tree; with --layer N the entries of layer N alone
  (0 = bottom), whiteouts and opaque folders included. --json prints one object per line
  (ndjson: path, type, size, mode, uid, gid, linkTarget, hash).`,
  cat: `stagescope cat <source> </path/in/image> [-o FILE] [--platform P] [--source engine|registry] [--ca-cert FILE] [--insecure]
  Writes one file of an image to stdout, or to FILE (-o: written under a temporary name, then
  renamed; nothing is left when the read fails). <source> is any of inspect's. An engine image
  is read through the engine; any other from the one layer that holds the file, straight from
  the archive, layout or registry, its bytes checked against the sha256 of the analysis.
  A hardlink gives its target's bytes; a symlink, a folder or a device is refused.`,
  prune: `stagescope prune [--json]
  Removes the images StageScope tagged or labelled (label org.stagescope.managed), nothing else.`,
  check: `stagescope check <folder|Dockerfile> [options]
  Builds and analyzes as analyze does, then checks the images against .stagescope.yml in the
  project folder (or --config) and StageScope's measured rules: package-caches-in-final,
  hidden-by-rm, secrets-in-layers, toolchain-in-final, whole-stage-copy, duplicate-content,
  unused-stage. Takes analyze's build options, and:
  --config FILE     the config to use instead of <folder>/.stagescope.yml
  --dive-ci FILE    also apply a dive .dive-ci file's rules, with dive's efficiency semantics
  --baseline REF    growth budgets against \`last\` (the previous analysis of this Dockerfile and
                    target), a snapshot id (\`stagescope history\`) or a report file of
                    \`stagescope analyze --json\`
  --format F        text (default), json, markdown, junit, sarif or github
  --output FILE     write the report to FILE instead of stdout
  With --format github and GITHUB_STEP_SUMMARY set, a markdown summary is appended there.
  Colors only on a terminal, never with NO_COLOR.
  Exit codes: 0 every rule passed (warnings allowed), 1 at least one rule at severity error
  failed, 2 bad usage or an invalid config (the sentence names the key and line), 3 the build
  or the analysis failed.`,
  serve: `stagescope serve [folder] [--port N]
  Serves the StageScope UI on 127.0.0.1 with a per-run token; prints the URL to open.`,
  ...HISTORY_HELP,
};
