// A real token service for the registry's `auth: token` mode (the Docker token spec): checks
// a username and password sent with HTTP Basic, and answers an RS256 JWT whose x5c header
// carries the signing certificate the registry trusts (rootcertbundle).
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CertFiles } from './certs.ts';

export interface TokenServer {
  realm: string;
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export async function startTokenServer(o: {
  signer: CertFiles;
  issuer: string;
  service: string;
  users: Record<string, string>;
}): Promise<TokenServer> {
  const key = createPrivateKey(readFileSync(o.signer.key));
  const der = new X509Certificate(readFileSync(o.signer.cert)).raw.toString('base64');
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization ?? '';
    const [user, pass] = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':') : [];
    if (!user || o.users[user] !== pass) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    const access = url.searchParams.getAll('scope').flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      return type && name && actions ? [{ type, name, actions: actions.split(',') }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [der] };
    const claims = {
      iss: o.issuer,
      sub: user,
      aud: url.searchParams.get('service') ?? o.service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access,
    };
    const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(body), key);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token: `${body}.${b64url(signature)}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
