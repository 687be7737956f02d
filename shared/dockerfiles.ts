// What counts as a Dockerfile, and which one a project opens when none is named: one rule for
// the engine's discovery, the CLI and the UI (which states the patterns when a folder has none).

/** The name patterns, as the UI states them (`*` is any text); matched case-insensitively. */
export const DOCKERFILE_PATTERNS = ['Dockerfile', '*.Dockerfile', 'Dockerfile.*', 'Containerfile'] as const;

const MATCHERS = DOCKERFILE_PATTERNS.map(
  (p) =>
    new RegExp(
      '^' +
        p
          .split('*')
          .map((part) => part.replace(/[.]/g, '\\.'))
          .join('.*') +
        '$',
      'i',
    ),
);

/** One of DOCKERFILE_PATTERNS; never BuildKit's per-Dockerfile ignore file (`Dockerfile.dockerignore`). */
export function isDockerfileName(name: string): boolean {
  if (name.toLowerCase().endsWith('.dockerignore')) return false;
  return MATCHERS.some((m) => m.test(name));
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
