import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuildContext, generatedDockerfileName, uploadedDockerignore } from './context.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'stagescope-ctx-'));
});
afterEach(() => {
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

function write(rel: string, content = rel) {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), content);
}

interface TarEntry {
  type: string;
  linkname?: string | null;
  body: string;
}

async function readTar(stream: Readable): Promise<Map<string, TarEntry>> {
  const out = new Map<string, TarEntry>();
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      out.set(entry.header.name.replace(/\/$/, ''), {
        type: entry.header.type ?? 'file',
        linkname: entry.header.linkname,
        body: Buffer.concat(chunks).toString(),
      });
    }
  })();
  stream.pipe(ex);
  await done;
  return out;
}

describe('createBuildContext', () => {
  it('honours .dockerignore, with ! exceptions inside an excluded folder, and always sends the Dockerfile', async () => {
    write('Dockerfile', 'FROM scratch\n');
    write('.dockerignore', '# comment\nnode_modules\n*.log\nsecrets\n!secrets/public.txt\nDockerfile\n');
    write('app/main.go');
    write('debug.log');
    write('app/nested.log'); // `*.log` matches only at the top level, like docker
    write('node_modules/x/index.js');
    write('secrets/key.pem');
    write('secrets/public.txt');
    const ctx = await createBuildContext(root, { dockerfile: join(root, 'Dockerfile') });
    expect(ctx.dockerfileName).toBe('Dockerfile');
    const tar = await readTar(ctx.stream);
    const names = [...tar.keys()].sort();
    expect(names).toEqual(['.dockerignore', 'Dockerfile', 'app', 'app/main.go', 'app/nested.log', 'secrets/public.txt']);
    expect(ctx.fileCount).toBe(names.length);
    expect(tar.get('app/main.go')?.body).toBe('app/main.go');
  });

  it('lets <Dockerfile>.dockerignore next to the Dockerfile win over the folder .dockerignore', async () => {
    write('docker/app.Dockerfile', 'FROM scratch\n');
    write('docker/app.Dockerfile.dockerignore', 'b.txt\n');
    write('.dockerignore', 'a.txt\n');
    write('a.txt');
    write('b.txt');
    const ctx = await createBuildContext(root, { dockerfile: join(root, 'docker/app.Dockerfile') });
    expect(ctx.dockerfileName).toBe('docker/app.Dockerfile');
    const names = [...(await readTar(ctx.stream)).keys()];
    expect(names).toContain('a.txt');
    expect(names).not.toContain('b.txt');
  });

  it('stores symlinks as links without following them (a loop does not hang)', async () => {
    write('Dockerfile', 'FROM scratch\n');
    mkdirSync(join(root, 'loop'));
    symlinkSync('..', join(root, 'loop/up'));
    symlinkSync('Dockerfile', join(root, 'link'));
    const tar = await readTar((await createBuildContext(root, { dockerfile: join(root, 'Dockerfile') })).stream);
    expect(tar.get('loop/up')).toMatchObject({ type: 'symlink', linkname: '..' });
    expect(tar.get('link')).toMatchObject({ type: 'symlink', linkname: 'Dockerfile' });
  });

  it('sends replacement text under a generated name, never touching the user file', async () => {
    write('Dockerfile', '# syntax=docker/dockerfile:1\nFROM scratch\n');
    const ctx = await createBuildContext(root, { dockerfile: join(root, 'Dockerfile'), dockerfileText: 'FROM scratch\n' });
    expect(ctx.dockerfileName).toBe(generatedDockerfileName('FROM scratch\n'));
    expect(ctx.dockerfileName).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const tar = await readTar(ctx.stream);
    expect(tar.get(ctx.dockerfileName)?.body).toBe('FROM scratch\n');
    expect(tar.get('Dockerfile')?.body).toContain('# syntax');
    // BuildKit reads no .dockerignore from an uploaded tar: the copy is reported as visible.
    expect(ctx.visibleDockerfile).toBe(ctx.dockerfileName);
    expect(tar.has('.dockerignore')).toBe(false);
  });

  it('classic builder: the generated name is appended to the uploaded .dockerignore, the user rules kept', async () => {
    write('Dockerfile', 'FROM scratch\n');
    write('.dockerignore', '*\n!a.txt\n.dockerignore\nDockerfile');
    write('a.txt');
    const ctx = await createBuildContext(root, {
      dockerfile: join(root, 'Dockerfile'),
      dockerfileText: 'FROM scratch # copy\n',
      builder: 'classic',
    });
    const tar = await readTar(ctx.stream);
    expect(tar.get('.dockerignore')?.body).toBe(`*\n!a.txt\n.dockerignore\nDockerfile\n${ctx.dockerfileName}\n`);
    expect([...tar.keys()].sort()).toEqual(['.dockerignore', ctx.dockerfileName, 'a.txt'].sort());
    expect(ctx.visibleDockerfile).toBeNull();
    expect(ctx.fileCount).toBe(3);
  });

  it('classic builder: with no .dockerignore, the uploaded one also excludes itself', async () => {
    write('Dockerfile', 'FROM scratch\n');
    const ctx = await createBuildContext(root, {
      dockerfile: join(root, 'Dockerfile'),
      dockerfileText: 'FROM scratch # copy\n',
      builder: 'classic',
    });
    const tar = await readTar(ctx.stream);
    expect(tar.get('.dockerignore')?.body).toBe(`.dockerignore\n${ctx.dockerfileName}\n`);
    expect(uploadedDockerignore(null, 'x')).toBe('.dockerignore\nx\n');
  });

  it('classic builder: a .dockerignore that excludes itself still travels (the daemon drops it and the Dockerfile)', async () => {
    write('Dockerfile', 'FROM scratch\n');
    write('.dockerignore', '.dockerignore\nDockerfile\n');
    const classic = await readTar((await createBuildContext(root, { dockerfile: join(root, 'Dockerfile'), builder: 'classic' })).stream);
    expect([...classic.keys()].sort()).toEqual(['.dockerignore', 'Dockerfile']);
    const buildkit = await createBuildContext(root, { dockerfile: join(root, 'Dockerfile') });
    expect([...(await readTar(buildkit.stream)).keys()]).toEqual(['Dockerfile']);
    // The user's own file is sent although excluded, and BuildKit cannot hide it.
    expect(buildkit.visibleDockerfile).toBe('Dockerfile');
  });

  it('includes a Dockerfile that lives outside the folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'stagescope-df-'));
    try {
      writeFileSync(join(outside, 'Dockerfile'), 'FROM scratch\nCOPY a /\n');
      write('a');
      const ctx = await createBuildContext(root, { dockerfile: join(outside, 'Dockerfile') });
      expect(ctx.dockerfileName).toBe(generatedDockerfileName('FROM scratch\nCOPY a /\n'));
      const tar = await readTar(ctx.stream);
      expect(tar.get(ctx.dockerfileName)?.body).toBe('FROM scratch\nCOPY a /\n');
      expect(ctx.fileCount).toBe(2);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('names an unreadable file', async () => {
    write('Dockerfile', 'FROM scratch\n');
    write('private.txt');
    chmodSync(join(root, 'private.txt'), 0);
    chmodSync(root, 0o755);
    // root reads anything: then run the same call as `nobody` in a child process.
    const message =
      process.getuid?.() === 0
        ? messageAsNobody(root)
        : await createBuildContext(root, { dockerfile: join(root, 'Dockerfile') }).then(
            () => 'no error',
            (e) => `${e.name}: ${e.message}`,
          );
    expect(message).toMatch(/^StageScopeError: Cannot read .*private\.txt/);
  });
});

function messageAsNobody(dir: string): string {
  const script = `import { createBuildContext } from ${JSON.stringify(join(import.meta.dirname, 'context.ts'))};
createBuildContext(${JSON.stringify(dir)}, { dockerfile: ${JSON.stringify(join(dir, 'Dockerfile'))} }).then(() => console.log('no error'), (e) => console.log(e.name + ': ' + e.message));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    uid: 65534,
    gid: 65534,
    cwd: process.cwd(),
    encoding: 'utf8',
  });
  return (r.stdout || r.stderr).trim();
}
