// dockerfile-ast instructions -> plain, JSON-safe Instruction records.
import type { Instruction as AstInstruction, Flag } from 'dockerfile-ast';
import type { Instruction } from '../../../shared/model.ts';
import { heredocsOf } from './heredoc.ts';

/** Every flag in order. (Copy.getFromFlag() returns null when another flag is present.) */
export function flagsOf(instruction: AstInstruction): Flag[] {
  const get = (instruction as unknown as { getFlags?: () => Flag[] }).getFlags;
  return typeof get === 'function' ? get.call(instruction) : [];
}

/** The last value of a flag, as BuildKit keeps the last one when a flag is repeated. */
export function flagValue(instruction: AstInstruction, name: string): string | null {
  const matches = flagsOf(instruction).filter((f) => f.getName().toLowerCase() === name);
  return matches.length ? (matches[matches.length - 1].getValue() ?? '') : null;
}

/** `args`: the parsed, expanded arguments of COPY / ADD / WORKDIR (see parse.ts), else null. */
export function toInstruction(instruction: AstInstruction, lines: readonly string[], args: string[] | null = null): Instruction {
  const range = instruction.getRange();
  return {
    keyword: instruction.getKeyword(),
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    text: instruction.getTextContent(),
    flags: flagsOf(instruction).map((f) => ({ name: f.getName(), value: f.getValue() })),
    heredocs: heredocsOf(instruction, lines),
    args,
  };
}

/** `type=bind,from=build,source=/x` -> { type: 'bind', from: 'build', source: '/x' }. */
export function parseMountOptions(value: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (key)
      options[key] =
        eq < 0
          ? 'true'
          : part
              .slice(eq + 1)
              .trim()
              .replace(/^"(.*)"$/, '$1');
  }
  return options;
}
