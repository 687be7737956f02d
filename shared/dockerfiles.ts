// What counts as a Dockerfile, and which one a project opens when none is named: one rule for
// the engine's discovery, the CLI and the UI.

/** `Dockerfile`, `*.Dockerfile`, `Dockerfile.*` in any case; never a `.dockerignore`. */
export function isDockerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith('.dockerignore')) return false;
  return lower === 'dockerfile' || lower.endsWith('.dockerfile') || lower.startsWith('dockerfile.');
}

/**
 * Of a folder's Dockerfiles (paths relative to it): its own `Dockerfile` (`dockerfile` too, as
 * the docker CLI falls back to), else the only one found, else none.
 */
export function defaultDockerfile(files: readonly string[]): string | null {
  return (
    files.find((f) => f === 'Dockerfile') ?? files.find((f) => f.toLowerCase() === 'dockerfile') ?? (files.length === 1 ? files[0]! : null)
  );
}
