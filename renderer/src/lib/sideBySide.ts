// Turn a line diff (the `diff` package's diffLines) into side-by-side rows: removed lines on the
// left paired with added lines on the right, unchanged lines on both sides.
import { diffLines } from 'diff';

export interface SideCell {
  no: number;
  text: string;
}

export interface SideRow {
  kind: 'same' | 'changed' | 'removed' | 'added';
  left: SideCell | null;
  right: SideCell | null;
}

function splitLines(value: string): string[] {
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function sideBySide(before: string, after: string): SideRow[] {
  const rows: SideRow[] = [];
  let leftNo = 1;
  let rightNo = 1;
  let removed: string[] = [];
  const flushRemoved = (added: string[]) => {
    const n = Math.max(removed.length, added.length);
    for (let i = 0; i < n; i++) {
      const l = i < removed.length ? { no: leftNo++, text: removed[i] } : null;
      const r = i < added.length ? { no: rightNo++, text: added[i] } : null;
      rows.push({ kind: l && r ? 'changed' : l ? 'removed' : 'added', left: l, right: r });
    }
    removed = [];
  };
  for (const part of diffLines(before, after)) {
    const lines = splitLines(part.value);
    if (part.removed) {
      flushRemoved([]);
      removed = lines;
    } else if (part.added) {
      flushRemoved(lines);
    } else {
      flushRemoved([]);
      for (const text of lines) rows.push({ kind: 'same', left: { no: leftNo++, text }, right: { no: rightNo++, text } });
    }
  }
  flushRemoved([]);
  return rows;
}
