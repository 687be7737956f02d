import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import { contextDigest, DEFAULT_HOST, parseHost, resolveEndpoint } from './endpoint.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'stagescope-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function writeContext(name: string, host: string, opts: { skipTls?: boolean; tls?: boolean } = {}) {
  const digest = contextDigest(name);
  const meta = join(home, '.docker', 'contexts', 'meta', digest);
  mkdirSync(meta, { recursive: true });
  writeFileSync(
    join(meta, 'meta.json'),
    JSON.stringify({ Name: name, Endpoints: { docker: { Host: host, SkipTLSVerify: !!opts.skipTls } } }),
  );
  if (opts.tls) {
    const tls = join(home, '.docker', 'contexts', 'tls', digest, 'docker');
    mkdirSync(tls, { recursive: true });
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tls, f), 'pem');
  }
}

function writeConfig(currentContext: string) {
  mkdirSync(join(home, '.docker'), { recursive: true });
  writeFileSync(join(home, '.docker', 'config.json'), JSON.stringify({ currentContext }));
}

describe('resolveEndpoint', () => {
  it('defaults to the system socket', () => {
    expect(resolveEndpoint({ env: {}, homeDir: home })).toEqual({ host: DEFAULT_HOST, source: 'default', context: null, tls: null });
  });

  it('uses DOCKER_HOST, with TLS material from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set', () => {
    const certs = join(home, 'certs');
    mkdirSync(certs);
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), 'pem');
    const e = resolveEndpoint({
      env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs },
      homeDir: home,
    });
    expect(e.host).toBe('tcp://10.0.0.5:2376');
    expect(e.source).toBe('DOCKER_HOST');
    expect(e.tls).toEqual({ ca: join(certs, 'ca.pem'), cert: join(certs, 'cert.pem'), key: join(certs, 'key.pem'), verify: true });
  });

  it('no TLS for a plain tcp DOCKER_HOST', () => {
    expect(resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h:2375' }, homeDir: home }).tls).toBeNull();
  });

  it('DOCKER_HOST wins over DOCKER_CONTEXT and currentContext (as in the CLI)', () => {
    writeContext('remote', 'tcp://remote:2375');
    writeConfig('remote');
    const e = resolveEndpoint({ env: { DOCKER_HOST: 'unix:///tmp/x.sock', DOCKER_CONTEXT: 'remote' }, homeDir: home });
    expect(e.host).toBe('unix:///tmp/x.sock');
  });

  it('reads the current context from config.json and its TLS folder', () => {
    writeContext('prod', 'tcp://prod.example:2376', { tls: true, skipTls: true });
    writeConfig('prod');
    const e = resolveEndpoint({ env: {}, homeDir: home });
    expect(e).toMatchObject({ host: 'tcp://prod.example:2376', source: 'context', context: 'prod' });
    expect(e.tls?.verify).toBe(false);
    expect(e.tls?.ca).toBe(join(home, '.docker', 'contexts', 'tls', contextDigest('prod'), 'docker', 'ca.pem'));
  });

  it('DOCKER_CONTEXT wins over config.json; DOCKER_CONFIG moves the config dir', () => {
    writeContext('a', 'ssh://me@a.example');
    writeContext('b', 'tcp://b:2375');
    writeConfig('b');
    expect(resolveEndpoint({ env: { DOCKER_CONTEXT: 'a' }, homeDir: home }).host).toBe('ssh://me@a.example');
    expect(resolveEndpoint({ env: { DOCKER_CONFIG: join(home, 'nowhere') }, homeDir: home }).host).toBe(DEFAULT_HOST);
  });

  it('an explicit host or context option wins over the environment', () => {
    writeContext('c', 'tcp://c:2375');
    expect(resolveEndpoint({ env: { DOCKER_HOST: 'tcp://env:1' }, homeDir: home, context: 'c' }).host).toBe('tcp://c:2375');
    expect(resolveEndpoint({ env: { DOCKER_CONTEXT: 'c' }, homeDir: home, host: 'tcp://opt:2' }).host).toBe('tcp://opt:2');
    expect(resolveEndpoint({ env: { DOCKER_HOST: 'tcp://env:1' }, homeDir: home, context: 'default' }).host).toBe(DEFAULT_HOST);
  });

  it('an unknown context is an engine error naming it', () => {
    writeConfig('ghost');
    let err: unknown;
    try {
      resolveEndpoint({ env: {}, homeDir: home });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StageScopeError);
    expect((err as StageScopeError).code).toBe('engine');
    expect((err as StageScopeError).message).toContain('"ghost"');
  });
});

describe('parseHost', () => {
  it('parses every supported scheme', () => {
    expect(parseHost('unix:///run/user/1000/docker.sock')).toEqual({ kind: 'unix', socketPath: '/run/user/1000/docker.sock' });
    expect(parseHost('tcp://1.2.3.4:2375')).toEqual({ kind: 'tcp', host: '1.2.3.4', port: 2375 });
    expect(parseHost('tcp://1.2.3.4', true)).toEqual({ kind: 'tcp', host: '1.2.3.4', port: 2376 });
    expect(parseHost('1.2.3.4:99')).toEqual({ kind: 'tcp', host: '1.2.3.4', port: 99 });
    expect(parseHost('ssh://bob@build.example:2222')).toEqual({ kind: 'ssh', host: 'build.example', port: 2222, username: 'bob' });
    expect(parseHost('ssh://build.example')).toEqual({ kind: 'ssh', host: 'build.example', port: undefined, username: undefined });
    // An ~/.ssh/config alias: no port or user, so ssh's own config supplies them.
    expect(parseHost('ssh://myengine')).toEqual({ kind: 'ssh', host: 'myengine', port: undefined, username: undefined });
  });
  it('rejects npipe and unknown schemes with an engine error', () => {
    expect(() => parseHost('npipe:////./pipe/docker_engine')).toThrow(/does not support/);
    expect(() => parseHost('ftp://x')).toThrow(/unknown scheme/);
  });
});
