// The arguments of an instruction after its flags, split the way BuildKit's parser does: the
// JSON (exec) form when the rest is a JSON array of strings, otherwise words split on
// whitespace (line continuations joined; a heredoc's body is not an argument).
import type { Instruction as AstInstruction } from 'dockerfile-ast';

/** The instruction's text from after the keyword to its end, continuations joined. */
function argumentText(instruction: AstInstruction, lines: readonly string[], escape: string): string {
  const range = instruction.getRange();
  const keywordEnd = instruction.getInstructionRange().end;
  const parts: string[] = [];
  for (let l = keywordEnd.line; l <= range.end.line; l++) {
    let text = lines[l] ?? '';
    if (l === keywordEnd.line) text = text.slice(keywordEnd.character);
    if (l === range.end.line && l !== keywordEnd.line) text = text.slice(0, range.end.character);
    const trimmed = text.replace(/\s+$/, '');
    const continued = trimmed.endsWith(escape);
    parts.push(continued ? trimmed.slice(0, -1) : text);
    // A line that does not continue ends the arguments: what follows is a heredoc body.
    if (!continued) break;
  }
  return parts.join(' ').trim();
}

/** Words of `text` split on whitespace, but a word never splits inside quotes. */
function splitWords(text: string, escape: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape && i + 1 < text.length) {
      word += c + text[++i];
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word += c;
    } else if (/\s/.test(c)) {
      if (word) words.push(word);
      word = '';
    } else word += c;
  }
  if (word) words.push(word);
  return words;
}

export interface SplitArguments {
  /** Words after the flags: JSON strings as they are, shell words still quoted (see processWord). */
  words: string[];
  json: boolean;
}

/** Arguments after the `--flags`, JSON form or words. */
export function splitArguments(instruction: AstInstruction, lines: readonly string[], escape: string): SplitArguments {
  let words = splitWords(argumentText(instruction, lines, escape), escape);
  while (words.length && words[0].startsWith('--')) words = words.slice(1);
  const rest = words.join(' ');
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return { words: parsed as string[], json: true };
    } catch {
      // Not JSON: BuildKit reads it as words too.
    }
  }
  return { words, json: false };
}
