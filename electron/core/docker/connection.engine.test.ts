import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { StageScopeError } from '../../../shared/errors.ts';
import { compareApiVersions, connectEngine } from './connection.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function connectError(env: Record<string, string>, timeoutMs = 5000): Promise<StageScopeError> {
  const started = Date.now();
  const err = await connectEngine({ env, homeDir: '/nonexistent-home', timeoutMs }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(timeoutMs + 1000);
  expect(err).toBeInstanceOf(StageScopeError);
  expect((err as StageScopeError).code).toBe('engine');
  return err as StageScopeError;
}

describe('connectEngine', () => {
  it('connects to the running engine and reports its version', async () => {
    const { docker, info, host } = await connectEngine();
    expect(host).toMatch(/^unix:\/\//);
    expect(compareApiVersions(info.apiVersion, '1.41')).toBeGreaterThanOrEqual(0);
    expect(info.version).toMatch(/^\d+\.\d+/);
    expect(String(await docker.ping())).toBe('OK');
  });

  it('fails fast naming a socket that does not exist', async () => {
    const err = await connectError({ DOCKER_HOST: 'unix:///tmp/stagescope-no-such.sock' });
    expect(err.message).toContain('unix:///tmp/stagescope-no-such.sock');
    expect(err.message).toContain('no Docker daemon');
    expect(err.hint).toMatch(/Start Docker/);
  });

  it('fails fast when a tcp port refuses the connection', async () => {
    const port = await closedPort();
    const err = await connectError({ DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    expect(err.message).toContain(`tcp://127.0.0.1:${port}`);
    expect(err.message).toContain('refused');
  });

  it('times out on a server that never answers', async () => {
    const server = createServer(() => {}); // accepts, never replies
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const err = await connectError({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }, 500);
      expect(err.message).toContain('did not answer in time');
    } finally {
      server.close();
    }
  });
});

describe('connectEngine against an old engine', () => {
  it('rejects an engine below API 1.41 with an engine error', async () => {
    const server = createHttpServer((req, res) => {
      if (req.url?.startsWith('/_ping')) return res.end('OK');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Version: '19.03.15', ApiVersion: '1.40' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const err = await connectError({ DOCKER_HOST: `tcp://127.0.0.1:${port}` });
      expect(err.message).toContain('too old');
      expect(err.message).toContain('1.40');
    } finally {
      server.close();
    }
  });
});

describe('compareApiVersions', () => {
  it('compares numerically, not as strings', () => {
    expect(compareApiVersions('1.9', '1.41')).toBeLessThan(0);
    expect(compareApiVersions('1.45', '1.41')).toBeGreaterThan(0);
    expect(compareApiVersions('1.41', '1.41')).toBe(0);
  });
});

describe('dockerodeOptions', () => {
  it('maps ssh, plain tcp and TLS endpoints to modem options', async () => {
    const { dockerodeOptions } = await import('./connection.ts');
    // ssh: HTTP through an agent whose connections are `ssh … docker system dial-stdio` processes.
    const ssh = dockerodeOptions(
      { host: 'ssh://bob@build.example:2222', source: 'DOCKER_HOST', context: null, tls: null },
      { SSH_AUTH_SOCK: '/tmp/agent' },
    );
    expect(ssh).toMatchObject({ protocol: 'http', host: 'build.example', port: 2222, socketPath: undefined });
    expect(typeof (ssh.agent as { createConnection?: unknown }).createConnection).toBe('function');
    expect(dockerodeOptions({ host: 'tcp://10.1.2.3:2375', source: 'DOCKER_HOST', context: null, tls: null }, {})).toEqual({
      protocol: 'http',
      host: '10.1.2.3',
      port: 2375,
    });
    expect(dockerodeOptions({ host: 'unix:///tmp/d.sock', source: 'option', context: null, tls: null }, {})).toMatchObject({
      socketPath: '/tmp/d.sock',
      host: undefined,
    });
    const dir = mkdtempSync(join(tmpdir(), 'stagescope-tls-'));
    try {
      for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), f);
      const pem = (f: string) => join(dir, f);
      const verified = dockerodeOptions(
        {
          host: 'tcp://h',
          source: 'DOCKER_HOST',
          context: null,
          tls: { ca: pem('ca.pem'), cert: pem('cert.pem'), key: pem('key.pem'), verify: true },
        },
        {},
      );
      expect(verified).toMatchObject({ protocol: 'https', host: 'h', port: 2376 });
      expect(String(verified.ca)).toBe('ca.pem');
      expect(verified.agent).toBeUndefined();
      const skip = dockerodeOptions(
        {
          host: 'tcp://h:1',
          source: 'context',
          context: 'c',
          tls: { ca: null, cert: pem('cert.pem'), key: pem('key.pem'), verify: false },
        },
        {},
      );
      expect((skip.agent as { options: { rejectUnauthorized: boolean } }).options.rejectUnauthorized).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
