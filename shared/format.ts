// Small formatting helpers both the CLI and the renderer use.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Decimal units, like `docker images`: 1.8 MB, 812 kB, 42 B. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/** `drwxr-xr-x` style, from an entry type and permission bits. */
export function formatMode(type: string, mode: number): string {
  const t = type === 'dir' ? 'd' : type === 'symlink' ? 'l' : type === 'char' ? 'c' : type === 'block' ? 'b' : type === 'fifo' ? 'p' : '-';
  const rwx = (bits: number, special: boolean, ch: string) =>
    `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? 'x' : '-'}`;
  return (
    t +
    rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    rwx(mode & 7, (mode & 0o1000) !== 0, 't')
  );
}

/** The label of a stage in tables and the graph: its name, or `stage-N`. */
export function stageLabel(stage: { index: number; name: string | null }): string {
  return stage.name ?? `stage-${stage.index}`;
}
