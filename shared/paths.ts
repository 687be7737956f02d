// Paths inside an image: absolute, `/`-separated and normalized (no `.`, `..`, `//` or trailing
// slash; the archive reader makes every entry name so). One implementation for the archive
// reader, the tree, diffs, rows and copy attribution.

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** `/usr/bin/go` -> `/usr/bin`; `/usr` and `/` -> `/`. */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** `/usr/bin/go` -> `go`; `/` -> ``. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
