// Sizes in a config: a number of bytes, or a number with a unit. Decimal units (kB, MB, GB, TB)
// are powers of 1000 as `docker images` prints them; binary ones (KiB, MiB, GiB, TiB) of 1024.
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

export const SIZE_HINT = 'write it like 50MB, 1.5GiB or a number of bytes';

/** Bytes, or null when the value is not a size. */
export function parseSize(value: number | string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!m) return null;
  const unit = m[2] === '' ? 1 : UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  return Math.round(Number(m[1]) * unit);
}
