// Offline, BuildKit cannot pull the frontend image a `# syntax=` directive names. The build is
// retried with the directive removed from the uploaded copy (never the user's file).

// Only the directives the engine knows keep the block going (an unknown one ends it).
const DIRECTIVE = /^#\s*(syntax|escape|check)\s*=\s*(.+?)\s*$/i;

/**
 * The Dockerfile without its `# syntax=` directive, every instruction on the same line number.
 * Directives only count in the unbroken block at the top, and an empty line ends that block;
 * so the lines after the syntax directive move up one and the empty line goes after the block,
 * which keeps a following `# escape=` in force.
 */
export function stripSyntaxDirective(text: string): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const lines = body.split(/\r?\n/);
  let blockEnd = 0;
  while (blockEnd < lines.length && DIRECTIVE.test(lines[blockEnd])) blockEnd++;
  const syntaxAt = lines.slice(0, blockEnd).findIndex((l) => DIRECTIVE.exec(l)?.[1].toLowerCase() === 'syntax');
  if (syntaxAt < 0) return text;
  const block = lines.slice(0, blockEnd).filter((_, i) => i !== syntaxAt);
  return bom + [...block, '', ...lines.slice(blockEnd)].join(eol);
}
