import { describe, expect, it } from 'vitest';
import { parseChallenge } from './auth.ts';
import { isLoopbackHost } from './transport.ts';

describe('registry auth and transport', () => {
  it('parses WWW-Authenticate challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.io/token",service="registry.io",scope="repository:a/b:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.io/token', service: 'registry.io', scope: 'repository:a/b:pull' },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: 'basic', params: { realm: 'x' } });
    expect(parseChallenge('Negotiate abc')).toBeNull();
    expect(parseChallenge(undefined)).toBeNull();
  });

  it('plain HTTP is allowed only for loopback hosts', () => {
    for (const h of ['localhost:5000', '127.0.0.1:5000', '127.8.9.1', '[::1]:5000']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['registry.io', '10.0.0.1:5000', '127.0.0.1.nip.io', 'localhost.evil.com']) expect(isLoopbackHost(h), h).toBe(false);
  });
});
