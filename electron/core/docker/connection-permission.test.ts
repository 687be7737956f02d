// A socket the user may not open: one sentence naming the cause and the fix, within 5 s. Run as
// `nobody` in a child process when the tests run as root (root opens any socket).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRoot } from '../../../tests/support/root.ts';

let dir = '';
let server: Server;
const socket = () => join(dir, 'docker.sock');

beforeAll(async () => {
  // As any other user the socket would be the user's own, and so readable.
  requireRoot('it opens a socket as the user nobody, who may not read it');
  dir = mkdtempSync(join(tmpdir(), 'stagescope-sockperm-'));
  chmodSync(dir, 0o755);
  server = createServer((c) => c.destroy());
  await new Promise<void>((resolve) => server.listen(socket(), resolve));
  chmodSync(socket(), 0o600); // owner only: like /var/run/docker.sock without the docker group
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('connectEngine on a socket without permission', () => {
  it('says permission denied and how to fix it, within 5 s', () => {
    const script = `import { connectEngine } from ${JSON.stringify(join(import.meta.dirname, 'connection.ts'))};
const t = Date.now();
connectEngine({ host: 'unix://${socket()}' }).then(() => console.log('connected'), (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message, hint: e.hint, ms: Date.now() - t })));`;
    const asNobody = { uid: 65534, gid: 65534 };
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      ...asNobody,
      cwd: process.cwd(),
      encoding: 'utf8',
      timeout: 30_000,
    });
    const out = JSON.parse((r.stdout || '{}').trim().split('\n').at(-1) ?? '{}');
    expect(out, r.stderr).toMatchObject({ name: 'StageScopeError', code: 'engine' });
    expect(out.message).toMatch(/permission denied on the socket/);
    expect(out.hint).toMatch(/docker group/);
    expect(out.ms).toBeLessThan(5000);
  });
});
