// BuildKit defines these ARGs in the global scope automatically, so `FROM --platform=$BUILDPLATFORM`
// works without an ARG line. Their values come from the engine; the host is the best guess
// offline, and callers who know the engine's platform pass it in.

const NODE_TO_DOCKER_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export function hostPlatform(): string {
  return `linux/${NODE_TO_DOCKER_ARCH[process.arch] ?? process.arch}`;
}

/** BUILDPLATFORM, TARGETOS, ... for a platform like `linux/arm64/v8`. */
export function automaticPlatformArgs(platform: string = hostPlatform()): Map<string, string> {
  const [os = 'linux', arch = 'amd64', variant = ''] = platform.split('/');
  const vars = new Map<string, string>();
  for (const prefix of ['BUILD', 'TARGET']) {
    vars.set(`${prefix}PLATFORM`, platform);
    vars.set(`${prefix}OS`, os);
    vars.set(`${prefix}ARCH`, arch);
    vars.set(`${prefix}VARIANT`, variant);
  }
  return vars;
}
