// Which files are Dockerfiles: one list, read by the engine's discovery (core/project/discover.ts)
// and stated by the UI when a folder has none. Names match case-insensitively, as `docker build`
// users write them (`dockerfile`, `App.dockerfile`).

/** The name patterns, as the UI shows them (`*` is any text). */
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

export function isDockerfileName(name: string): boolean {
  // BuildKit's per-Dockerfile ignore file (`Dockerfile.dockerignore`) is not a Dockerfile.
  if (name.toLowerCase().endsWith('.dockerignore')) return false;
  return MATCHERS.some((m) => m.test(name));
}
