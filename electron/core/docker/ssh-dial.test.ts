import { describe, expect, it } from 'vitest';
import { dialSsh, sshArgs } from './ssh-dial.ts';

describe('ssh dial', () => {
  it('builds the docker CLI ssh command line, leaving port and user to ~/.ssh/config when the URL has none', () => {
    expect(sshArgs({ host: 'myengine' }, {})).toEqual({
      command: 'ssh',
      args: ['-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T', '--', 'myengine', 'docker', 'system', 'dial-stdio'],
    });
    expect(sshArgs({ host: 'h', port: 2222, username: 'bob' }, { STAGESCOPE_SSH_COMMAND: 'ssh -F /cfg' }).args).toEqual([
      '-F',
      '/cfg',
      '-o',
      'ConnectTimeout=30',
      '-o',
      'BatchMode=yes',
      '-T',
      '-l',
      'bob',
      '-p',
      '2222',
      '--',
      'h',
      'docker',
      'system',
      'dial-stdio',
    ]);
  });

  it('a failing ssh becomes an error carrying its last stderr line', async () => {
    const socket = dialSsh({ host: 'h' }, { STAGESCOPE_SSH_COMMAND: 'false', PATH: process.env.PATH });
    const err = await new Promise<Error>((resolve) => socket.once('error', resolve));
    expect(err.message).toBe('ssh to h failed: ssh exited with code 1');
  });
});
