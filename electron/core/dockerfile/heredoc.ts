// Heredoc bodies as BuildKit materialises them: the lines between the opening line and the
// delimiter, each ending in a newline; `<<-NAME` strips leading tabs.
import type { Instruction as AstInstruction } from 'dockerfile-ast';
import type { Heredoc } from '../../../shared/model.ts';

interface AstHeredoc {
  getName(): string;
  getStartRange(): { start: { line: number; character: number }; end: { line: number; character: number } };
  getContentRange(): { start: { line: number }; end: { line: number } } | null;
}

/** `lines`: the Dockerfile split into lines (0-based, as dockerfile-ast counts them). */
export function heredocsOf(instruction: AstInstruction, lines: readonly string[]): Heredoc[] {
  // Instruction.getHeredocs is protected in the typings but implemented for RUN, COPY and ADD.
  const get = (instruction as unknown as { getHeredocs?: () => AstHeredoc[] }).getHeredocs;
  if (typeof get !== 'function') return [];
  return get.call(instruction).map((h) => {
    const start = h.getStartRange();
    const opener = lines[start.start.line]?.slice(start.start.character, start.end.character) ?? '';
    const stripTabs = opener.startsWith('<<-');
    const range = h.getContentRange();
    if (!range) return { name: h.getName(), content: '' };
    const body = lines.slice(range.start.line, range.end.line + 1).map((l) => (stripTabs ? l.replace(/^\t+/, '') : l));
    return { name: h.getName(), content: body.join('\n') + '\n' };
  });
}
