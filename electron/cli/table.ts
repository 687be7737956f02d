// A plain-text table for terminal reports: columns padded to their widest cell, numbers
// right-aligned. Hand-written because it is ten lines; cells are data and printed verbatim
// after control characters are escaped, so a hostile file name cannot drive the terminal.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function safeText(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function renderTable(header: string[], rows: (string | number)[][], rightAligned: number[] = []): string {
  const cells = [header, ...rows.map((r) => r.map((c) => safeText(String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}
