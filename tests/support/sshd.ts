// A real OpenSSH server on a loopback port for ssh:// engine tests: generated host and user
// keys, and a client config file with a `Host` alias (what users keep in ~/.ssh/config). The
// far side runs `docker system dial-stdio` against the shared engine, as the docker CLI does.
// Started and stopped by pid.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './registry.ts';

export interface TestSshd {
  port: number;
  /** `ssh -F` file defining the aliases below. */
  clientConfig: string;
  /** Alias that logs in with the authorized key. */
  alias: string;
  /** Alias for the same server with a key it does not know. */
  strangerAlias: string;
  stop(): Promise<void>;
}

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
}

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'stagescope-sshd-'));
  const port = await freePort();
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'user_key'));
  keygen(join(dir, 'stranger_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
  // sshd insists on its privilege-separation folder (the package's service creates it).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn(
    '/usr/sbin/sshd',
    [
      '-D',
      '-e',
      '-f',
      '/dev/null',
      '-p',
      String(port),
      '-h',
      join(dir, 'host_key'),
      '-o',
      'ListenAddress=127.0.0.1',
      '-o',
      `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`,
      '-o',
      'StrictModes=no',
      '-o',
      'PasswordAuthentication=no',
      '-o',
      'KbdInteractiveAuthentication=no',
      '-o',
      'PermitRootLogin=prohibit-password',
      '-o',
      'UsePAM=no',
      '-o',
      `PidFile=${join(dir, 'sshd.pid')}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const common = [
    `  HostName 127.0.0.1`,
    `  Port ${port}`,
    '  User root',
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
    '  StrictHostKeyChecking yes',
    '  LogLevel ERROR',
  ];
  const clientConfig = join(dir, 'ssh_config');
  writeFileSync(
    clientConfig,
    [
      'Host myengine',
      ...common,
      `  IdentityFile ${join(dir, 'user_key')}`,
      '',
      'Host stranger',
      ...common,
      `  IdentityFile ${join(dir, 'stranger_key')}`,
      '',
    ].join('\n'),
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  };
  const until = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`sshd did not listen on 127.0.0.1:${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, clientConfig, alias: 'myengine', strangerAlias: 'stranger', stop };
}
