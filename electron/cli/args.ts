// Command-line parsing for `stagescope`, on node's own util.parseArgs. Bad usage becomes a
// StageScopeError('usage') so main() can print one sentence and exit 2.
import { parseArgs } from 'node:util';
import { StageScopeError } from '../../shared/errors.ts';

export type Command =
  | { kind: 'help'; topic: string | null }
  | { kind: 'version' }
  | { kind: 'analyze'; path: string; build: BuildFlags; json: boolean }
  | { kind: 'diff'; path: string; a: string; b: string; build: BuildFlags; json: boolean }
  | { kind: 'inspect'; ref: string; json: boolean; source: SourceFlags }
  | { kind: 'prune'; json: boolean }
  | { kind: 'serve'; path: string | null; port: number };

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
  if (source !== undefined && source !== 'engine' && source !== 'registry') usage(`--source must be engine or registry, got "${source}".`, command);
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

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean | string[] }>;

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
      const { values, positionals } = strictParse(rest, buildOptions, name);
      if (positionals.length !== 3) usage('diff takes a folder or Dockerfile and two stages (name or index).', name);
      return { kind: 'diff', path: positionals[0], a: positionals[1], b: positionals[2], build: buildFlags(values), json: Boolean(values.json) };
    }
    case 'inspect': {
      const { values, positionals } = strictParse(rest, sourceOptions, name);
      if (positionals.length !== 1) usage('inspect takes one image reference or saved archive (.tar).', name);
      return { kind: 'inspect', ref: positionals[0], json: Boolean(values.json), source: sourceFlags(values, name) };
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
      if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port must be a number from 0 to 65535, got "${values.port}".`, name);
      return { kind: 'serve', path: positionals[0] ?? null, port };
    }
    default:
      usage(`Unknown command "${name}".`);
  }
}

export const HELP: Record<string, string> = {
  '': `stagescope — see inside every stage of a multi-stage Docker build

Usage:
  stagescope analyze <folder|Dockerfile> [--target T] [--all-stages] [--build-arg K=V]... [--classic] [--no-cache] [--json]
  stagescope diff <folder|Dockerfile> <stageA> <stageB> [build options] [--json]
  stagescope inspect <image-ref|archive.tar|oci:DIR|oci-archive:FILE|registry:HOST/REPO:TAG> [--platform P] [--json]
  stagescope prune [--json]
  stagescope serve [folder] [--port N]

Exit codes: 0 ok, 1 analysis or build failed, 2 bad usage.
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
  Builds what the two stages need, then lists the files added, removed and modified from A to B.
  Takes analyze's build options and --json.`,
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
  prune: `stagescope prune [--json]
  Removes the images StageScope tagged or labelled (label org.stagescope.managed), nothing else.`,
  serve: `stagescope serve [folder] [--port N]
  Serves the StageScope UI on 127.0.0.1 with a per-run token; prints the URL to open.`,
};
