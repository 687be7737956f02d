import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCredentials } from './credentials.ts';

function configDir(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagescope-creds-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('findCredentials', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('reads auths by host, with or without a scheme; Docker Hub under its legacy key', async () => {
    const dir = configDir({
      auths: { 'https://reg.io': { auth: b64('bob:pw:with:colons') }, 'https://index.docker.io/v1/': { auth: b64('hub:x') } },
    });
    const ctx = { env: { DOCKER_CONFIG: dir }, homeDir: '/nonexistent' };
    expect(await findCredentials('reg.io', ctx)).toEqual({ username: 'bob', password: 'pw:with:colons', from: 'config.json' });
    expect(await findCredentials('registry-1.docker.io', ctx)).toMatchObject({ username: 'hub' });
    expect(await findCredentials('other.io', ctx)).toBeNull();
  });

  it('asks credHelpers / credsStore helpers, and a missing helper is one sentence', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'stagescope-helper-'));
    writeFileSync(
      join(bin, 'docker-credential-t'),
      '#!/bin/sh\nread h\n[ "$h" = "reg.io" ] && echo \'{"Username":"u","Secret":"s"}\' && exit 0\necho "credentials not found in native keychain"; exit 1\n',
    );
    chmodSync(join(bin, 'docker-credential-t'), 0o755);
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const store = { env: { ...env, DOCKER_CONFIG: configDir({ credsStore: 't' }) }, homeDir: '/x' };
    expect(await findCredentials('reg.io', store)).toEqual({ username: 'u', password: 's', from: 'docker-credential-t' });
    expect(await findCredentials('none.io', store)).toBeNull();
    const missing = { env: { ...env, DOCKER_CONFIG: configDir({ credHelpers: { 'reg.io': 'absent' } }) }, homeDir: '/x' };
    await expect(findCredentials('reg.io', missing)).rejects.toThrow(
      'The credential helper docker-credential-absent named in the docker configuration is not on PATH.',
    );
  });
});
