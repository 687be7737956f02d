// Dockerfile text -> DockerfileModel: stages, bases, edges between stages, global ARGs, parser
// directives. dockerfile-ast does the tokenising; the stage semantics (what BuildKit treats as a
// stage, an image or an error) are ours.
import { INSTRUCTION_KEYWORDS } from './keywords.ts';
import { readFile, stat } from 'node:fs/promises';
import { DockerfileParser, type Arg, type Env, type From, type Instruction as AstInstruction, type Property } from 'dockerfile-ast';
import type { ArgDecl, DockerfileModel, ParserDirectives, Stage, StageEdge } from '../../../shared/model.ts';
import { StageScopeError } from '../../../shared/errors.ts';
import { dockerfileError } from './errors.ts';
import { expandVariables, processWord } from './expand.ts';
import { splitArguments } from './args.ts';
import { flagValue, flagsOf, parseMountOptions, toInstruction } from './instructions.ts';
import { automaticPlatformArgs } from './platform.ts';
import { resolveBase, resolveFromRef, type StageName } from './refs.ts';

export interface ParseOptions {
  /** Path of the Dockerfile, for the model and for error messages. */
  path: string;
  /** --build-arg values; they override the defaults of declared ARGs. */
  buildArgs?: Record<string, string>;
  /** Platform for BUILDPLATFORM / TARGETPLATFORM & co (default: the host's, e.g. linux/amd64). */
  platform?: string;
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/i;

type Vars = Map<string, string | undefined>;

interface RawStage {
  from: From;
  line: number;
  name: string | null;
  image: string;
  rest: AstInstruction[];
}

export function parseDockerfile(text: string, opts: ParseOptions): DockerfileModel {
  const { path } = opts;
  const source = text.replace(/^\uFEFF/, '');
  const ast = DockerfileParser.parse(source);
  const lines = source.split(/\r\n|\r|\n/);
  const escape = ast.getEscapeCharacter();
  const buildArgs = opts.buildArgs ?? {};
  const vars: Vars = new Map(automaticPlatformArgs(opts.platform));
  const globalArgs: ArgDecl[] = [];
  const raws: RawStage[] = [];

  for (const ins of ast.getInstructions()) {
    const keyword = ins.getKeyword();
    const line = ins.getRange().start.line + 1;
    if (!INSTRUCTION_KEYWORDS.has(keyword)) {
      // Clipped: a hostile file can put a megabyte where the keyword belongs.
      const shown = clipForMessage(ins.getInstruction());
      const column = ins.getRange().start.character + 1;
      throw dockerfileError(
        path,
        line,
        `unknown instruction "${shown}" (column ${column}).`,
        'Check the spelling of the instruction (FROM, RUN, COPY, ADD, ...) and line continuations.',
        { instruction: shown, column },
      );
    }
    if (keyword === 'FROM') raws.push(rawStage(ins as From, path, line));
    else if (raws.length) raws[raws.length - 1].rest.push(ins);
    else if (keyword === 'ARG') declareGlobalArgs(ins as Arg, line, vars, buildArgs, escape, globalArgs);
    else
      throw dockerfileError(
        path,
        line,
        `${clipForMessage(keyword)} comes before the first FROM; only ARG may precede it.`,
        'Start the Dockerfile with FROM <image> (global ARGs may come before it).',
        { instruction: clipForMessage(keyword) },
      );
  }
  if (!raws.length) {
    const last = ast.getInstructions().at(-1);
    const line = last ? last.getRange().end.line + 1 : 1;
    const message = last ? 'has no FROM instruction.' : 'is empty: it has no instructions.';
    throw dockerfileError(path, line, message, 'A Dockerfile needs at least one FROM <image> line.');
  }

  const warnings: string[] = [];
  const names = stageNames(raws, path, warnings);
  const edges: StageEdge[] = [];
  const stageEnvs: Vars[] = [];
  const stages = raws.map((raw, index) =>
    buildStage(raw, index, { path, names, vars, escape, lines, edges, warnings, buildArgs, stageEnvs }),
  );
  warnings.push(...unusedBuildArgs(ast, buildArgs));
  return { path, directives: directivesOf(ast), globalArgs, stages, edges, warnings };
}

export async function readDockerfile(path: string, opts: Omit<ParseOptions, 'path'> = {}): Promise<DockerfileModel> {
  const fail = (what: string, hint: string) =>
    new StageScopeError('dockerfile', `The Dockerfile ${path} ${what}.`, hint, { path, line: null });
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT'
      ? fail('does not exist', 'Check the path, or pass the folder that contains the Dockerfile.')
      : fail(`cannot be read (${err.code ?? err.message})`, 'Check that the file exists and that you may read it.');
  });
  if (!info.isFile()) throw fail('is not a file', 'Pass the Dockerfile itself, or the folder that contains it.');
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw fail(`cannot be read (${err.code ?? err.message})`, 'Check the file permissions.');
  });
  if (!text.trim()) throw fail('is empty', 'Write at least a FROM <image> line.');
  return parseDockerfile(text, { ...opts, path });
}

function directivesOf(ast: ReturnType<typeof DockerfileParser.parse>): ParserDirectives {
  const syntax = ast.getDirectives().find((d) => d.getName().toLowerCase() === 'syntax');
  return {
    syntax: syntax ? syntax.getValue() : null,
    syntaxLine: syntax ? syntax.getRange().start.line + 1 : null,
    escape: ast.getEscapeCharacter(),
  };
}

function declareGlobalArgs(ins: Arg, line: number, vars: Vars, buildArgs: Record<string, string>, escape: string, out: ArgDecl[]): void {
  for (const prop of ins.getProperties()) {
    const name = prop.getName();
    const defaultValue = prop.getValue();
    out.push({ name, defaultValue, line });
    // Precedence as in BuildKit: --build-arg, then the default (which may use earlier ARGs),
    // then an automatic platform value when the ARG merely re-declares one.
    const value = Object.hasOwn(buildArgs, name)
      ? buildArgs[name]
      : defaultValue !== null
        ? expandVariables(defaultValue, vars, escape).value
        : vars.get(name);
    vars.set(name, value);
  }
}

function rawStage(from: From, path: string, line: number): RawStage {
  const args = from.getArguments().map((a) => a.getValue());
  if (args.length === 0) throw dockerfileError(path, line, 'FROM needs an image name.', 'Write FROM <image> [AS <name>].');
  if (args.length === 2 || args.length > 3 || (args.length === 3 && args[1].toLowerCase() !== 'as')) {
    throw dockerfileError(path, line, `FROM ${args.join(' ')} is malformed.`, 'Write FROM <image> [AS <name>].');
  }
  const name = args.length === 3 ? args[2] : null;
  if (name !== null && !STAGE_NAME.test(name)) {
    throw dockerfileError(
      path,
      line,
      `"${clipForMessage(name)}" is not a valid stage name.`,
      'Stage names start with a letter and contain only letters, digits, "-", "_" and ".".',
      { name },
    );
  }
  return { from, line, name, image: args[0], rest: [] };
}

/** Stage names; a name declared again is kept (BuildKit builds it) and warned about. */
function stageNames(raws: RawStage[], path: string, warnings: string[]): StageName[] {
  const seen = new Map<string, number>();
  return raws.map((raw, index) => {
    if (raw.name !== null) {
      const key = raw.name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        warnings.push(
          `${path}:${raw.line}: the stage name "${raw.name}" is already declared on line ${first}. BuildKit builds it: FROM ${raw.name} binds to the nearest declaration above it, ` +
            `COPY --from=${raw.name}, RUN --mount from=${raw.name} and --target ${raw.name} to the last one (line ${raw.line} or later); the classic builder stops with an error at line ${raw.line}. Give each stage its own name.`,
        );
      } else seen.set(key, raw.line);
    }
    return { index, name: raw.name, line: raw.line };
  });
}

interface StageContext {
  path: string;
  names: StageName[];
  vars: Vars;
  escape: string;
  lines: string[];
  edges: StageEdge[];
  warnings: string[];
  buildArgs: Record<string, string>;
  /** ENV at the end of each stage built so far: a stage FROM it starts with it. */
  stageEnvs: Vars[];
}

function expandOrWarn(value: string, line: number, ctx: StageContext): string {
  const { value: expanded, undeclared } = expandVariables(value, ctx.vars, ctx.escape);
  for (const name of undeclared)
    ctx.warnings.push(`${ctx.path}:${line}: $${name} is not declared as a global ARG before the first FROM, so it expands to nothing.`);
  return expanded;
}

function buildStage(raw: RawStage, index: number, ctx: StageContext): Stage {
  const { path, names } = ctx;
  const image = expandOrWarn(raw.image, raw.line, ctx).trim();
  if (!image) {
    throw dockerfileError(
      path,
      raw.line,
      `FROM ${raw.image} expands to an empty image name.`,
      'Give the ARG a default value or pass it with --build-arg.',
      { image: raw.image },
    );
  }
  const base = resolveBase(image, index, names, { path, line: raw.line, what: `FROM ${raw.image}` });
  const platformFlag = flagValue(raw.from, 'platform');
  const stageEdges: StageEdge[] = [];
  if (base.kind === 'stage')
    stageEdges.push({ kind: 'from', from: { kind: 'stage', stage: base.stage as number }, to: index, line: raw.line, ref: image });

  for (const ins of raw.rest) {
    const line = ins.getRange().start.line + 1;
    const keyword = ins.getKeyword();
    if (keyword === 'COPY' || keyword === 'ADD') {
      const from = flagValue(ins, 'from');
      if (from === null) continue;
      const ref = expandOrWarn(from, line, ctx);
      const source = resolveFromRef(ref, index, names, { path, line, what: `${keyword} --from=${from}` });
      stageEdges.push({ kind: 'copy', from: source, to: index, line, ref });
    } else if (keyword === 'RUN') {
      for (const flag of flagsOf(ins).filter((f) => f.getName().toLowerCase() === 'mount')) {
        const options = parseMountOptions(flag.getValue() ?? '');
        const type = options.type ?? 'bind';
        if (!options.from || (type !== 'bind' && type !== 'cache')) continue;
        const ref = expandOrWarn(options.from, line, ctx);
        const source = resolveFromRef(ref, index, names, { path, line, what: `RUN --mount from=${options.from}` });
        stageEdges.push({ kind: 'mount', from: source, to: index, line, ref });
      }
    }
  }
  ctx.edges.push(...stageEdges);

  const argsOf = stageVariables(raw, base.kind === 'stage' ? ctx.stageEnvs[base.stage as number] : undefined, ctx);
  const instructions = [raw.from, ...raw.rest].map((ins) => toInstruction(ins, ctx.lines, argsOf.get(ins) ?? null));
  const dependsOn = [...new Set(stageEdges.flatMap((e) => (e.from.kind === 'stage' ? [e.from.stage] : [])))].sort((a, b) => a - b);
  return {
    index,
    name: raw.name,
    base,
    platform: platformFlag === null ? null : expandOrWarn(platformFlag, raw.line, ctx),
    line: raw.line,
    endLine: Math.max(...instructions.map((i) => i.endLine)),
    instructions,
    dependsOn,
  };
}

const EXPANDED = new Set(['COPY', 'ADD', 'WORKDIR']);

/** A property's value as written (quotes kept, so that `'$X'` stays literal), one line. */
function rawValue(prop: Property, lines: readonly string[]): string | null {
  const range = prop.getValueRange();
  if (!range) return prop.getValue();
  if (range.start.line !== range.end.line) return prop.getValue();
  return lines[range.start.line]?.slice(range.start.character, range.end.character) ?? prop.getValue();
}

/**
 * Walks a stage's ARG and ENV in order, as BuildKit's dispatcher does, and returns the expanded
 * arguments of its COPY / ADD / WORKDIR. Visible in the stage: its own ARGs from their line on
 * (--build-arg, else the default, else the value of the global ARG of that name), ENV of the
 * stage and of the stage it is built FROM; ENV wins over an ARG of the same name. Global ARGs not
 * declared again in the stage are not visible. Records the stage's final ENV for later stages.
 */
function stageVariables(raw: RawStage, inheritedEnv: Vars | undefined, ctx: StageContext): Map<AstInstruction, string[]> {
  const env: Vars = new Map(inheritedEnv ?? []);
  const args: Vars = new Map();
  const visible = (): Vars => new Map([...args, ...env]);
  const out = new Map<AstInstruction, string[]>();
  for (const ins of raw.rest) {
    const keyword = ins.getKeyword();
    if (keyword === 'ARG') {
      for (const prop of (ins as Arg).getProperties()) {
        const name = prop.getName();
        const written = prop.getValue() === null ? null : rawValue(prop, ctx.lines);
        const value = Object.hasOwn(ctx.buildArgs, name)
          ? ctx.buildArgs[name]
          : written !== null
            ? processWord(written, visible(), ctx.escape)
            : ctx.vars.get(name);
        args.set(name, value);
      }
    } else if (keyword === 'ENV') {
      for (const prop of (ins as Env).getProperties()) {
        const written = rawValue(prop, ctx.lines) ?? '';
        env.set(prop.getName(), processWord(written, visible(), ctx.escape));
      }
    } else if (EXPANDED.has(keyword)) {
      const { words, json } = splitArguments(ins, ctx.lines, ctx.escape);
      const vars = visible();
      out.set(
        ins,
        words.map((w) => (w.startsWith('<<') ? w : json ? expandVariables(w, vars, ctx.escape).value : processWord(w, vars, ctx.escape))),
      );
    }
  }
  ctx.stageEnvs[ctx.stageEnvs.length] = env;
  return out;
}

/** BuildKit warns about --build-arg values that no ARG declares. */
function unusedBuildArgs(ast: ReturnType<typeof DockerfileParser.parse>, buildArgs: Record<string, string>): string[] {
  const declared = new Set<string>();
  for (const ins of ast.getInstructions()) {
    if (ins.getKeyword() === 'ARG') for (const p of (ins as Arg).getProperties()) declared.add(p.getName());
  }
  const unused = Object.keys(buildArgs).filter((k) => !declared.has(k) && !automaticPlatformArgs().has(k));
  return unused.length ? [`Build arguments not declared by any ARG were ignored: ${unused.join(', ')}.`] : [];
}

/** At most 40 characters of user text in an error message, so it stays one readable sentence. */
function clipForMessage(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
