// ssh:// engines the way the docker CLI reaches them: run the `ssh` binary (so ~/.ssh/config
// aliases, Port, User, IdentityFile, ProxyJump and the agent all apply, exactly as for the
// user's own `ssh`), and speak HTTP over `docker system dial-stdio` on the far side. Each
// connection is one ssh process; the HTTP agent keeps connections alive between requests.
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { Duplex } from 'node:stream';

export interface SshTarget {
  host: string;
  /** Only when the URL names one: otherwise ~/.ssh/config decides. */
  port?: number;
  username?: string;
}

/**
 * The ssh command line. STAGESCOPE_SSH_COMMAND replaces `ssh` (e.g. `ssh -F ./config`), like
 * GIT_SSH_COMMAND; BatchMode because no terminal is there to answer a password prompt.
 */
export function sshArgs(target: SshTarget, env: Record<string, string | undefined>): { command: string; args: string[] } {
  const base = (env.STAGESCOPE_SSH_COMMAND?.trim() || 'ssh').split(/\s+/);
  const args = [...base.slice(1), '-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T'];
  if (target.username) args.push('-l', target.username);
  if (target.port) args.push('-p', String(target.port));
  args.push('--', target.host, 'docker', 'system', 'dial-stdio');
  return { command: base[0]!, args };
}

/** The last line ssh (or the remote shell) wrote on stderr: the reason a connection failed. */
function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (lines.at(-1) ?? '').replace(/\.$/, '');
}

/** One ssh process as a socket-like Duplex. */
export function dialSsh(target: SshTarget, env: Record<string, string | undefined>): Duplex {
  const { command, args } = sshArgs(target, env);
  const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let gotData = false;
  const socket = new Duplex({
    read() {
      child.stdout.resume();
    },
    write(chunk: Buffer, _enc, done) {
      if (child.stdin.destroyed) return done();
      child.stdin.write(chunk, () => done());
    },
    final(done) {
      child.stdin.end();
      done();
    },
    destroy(err, done) {
      if (child.exitCode === null) child.kill();
      done(err);
    },
  });
  child.stdout.on('data', (d: Buffer) => {
    gotData = true;
    if (!socket.push(d)) child.stdout.pause();
  });
  // End of stdout is decided at 'close' (exit code known): a failed login must surface as
  // ssh's own reason, not as an HTTP "socket hang up".
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.stdin.on('error', () => undefined);
  child.on('error', (err: NodeJS.ErrnoException) => {
    socket.destroy(
      Object.assign(new Error(err.code === 'ENOENT' ? `the ssh program "${command}" is not installed` : err.message), {
        code: 'SSH_FAILED',
      }),
    );
  });
  child.on('close', (code) => {
    if (code !== 0 && !gotData) {
      const why = lastLine(stderr) || `ssh exited with code ${code}`;
      socket.destroy(Object.assign(new Error(`ssh to ${target.host} failed: ${why}`), { code: 'SSH_FAILED' }));
    } else {
      socket.push(null);
    }
  });
  // What http.ClientRequest and the keep-alive agent call on a net.Socket. The agent unrefs a
  // socket while it idles in its pool: an idle ssh process then does not keep a CLI alive.
  const noop = (): Duplex => socket;
  const pipes = [child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[];
  const ref = (): Duplex => {
    child.ref();
    for (const p of pipes) p.ref?.();
    return socket;
  };
  const unref = (): Duplex => {
    child.unref();
    for (const p of pipes) p.unref?.();
    return socket;
  };
  Object.assign(socket, { setNoDelay: noop, setKeepAlive: noop, setTimeout: noop, ref, unref, remoteAddress: '127.0.0.1' });
  return socket;
}

export function sshAgent(target: SshTarget, env: Record<string, string | undefined>): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  (agent as unknown as { createConnection: () => Duplex }).createConnection = () => dialSsh(target, env);
  return agent;
}
