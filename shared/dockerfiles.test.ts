import { describe, expect, it } from 'vitest';
import { defaultDockerfile, isDockerfileName } from './dockerfiles.ts';

describe('Dockerfile names', () => {
  it('knows the usual spellings and not .dockerignore', () => {
    for (const name of ['Dockerfile', 'dockerfile', 'api.Dockerfile', 'Dockerfile.dev']) expect(isDockerfileName(name), name).toBe(true);
    for (const name of ['Dockerfile.dockerignore', 'Makefile', 'XDockerfilex']) expect(isDockerfileName(name), name).toBe(false);
  });

  it("opens the folder's own Dockerfile (any case), else the only one", () => {
    expect(defaultDockerfile(['Dockerfile', 'api.Dockerfile'])).toBe('Dockerfile');
    expect(defaultDockerfile(['dockerfile', 'api.Dockerfile'])).toBe('dockerfile');
    expect(defaultDockerfile(['sub/Dockerfile'])).toBe('sub/Dockerfile');
    expect(defaultDockerfile(['a.Dockerfile', 'b.Dockerfile'])).toBeNull();
    expect(defaultDockerfile([])).toBeNull();
  });
});
