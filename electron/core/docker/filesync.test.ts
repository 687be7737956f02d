// The BuildKit file transfer's pieces without an engine: the wire encoding (checked against the
// .proto schema), moby's pattern rules, and the walk's order and filtering as fsutil sends them.
// The engine-level proof is tests/integration/dockerignore-fidelity.test.ts.
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePacket, encodeData, encodeSimple, encodeStat, goFileMode, isDirMode, PACKET } from './fsutil-wire.ts';
import { PatternMatcher } from './pattern-match.ts';
import { sessionContext } from './session-context.ts';
import { syncEntries, type SyncFilter } from './sync-walk.ts';

const WIRE = protobuf
  .parse(
    `
syntax = "proto3";
message Stat { string path = 1; uint32 mode = 2; uint32 uid = 3; uint32 gid = 4; int64 size = 5; int64 modTime = 6;
  string linkname = 7; int64 devmajor = 8; int64 devminor = 9; }
message Packet { int32 type = 1; Stat stat = 2; uint32 ID = 3; bytes data = 4; }
`,
  )
  .root.lookupType('Packet');
const decode = (b: Uint8Array) => WIRE.toObject(WIRE.decode(b), { longs: String, bytes: String }) as Record<string, unknown>;

describe('fsutil wire messages', () => {
  it('encodes a STAT with 64-bit times exactly, and the end of the walk as a packet without a stat', () => {
    const stat = { path: 'src/a.go', mode: 0o755, uid: 0, gid: 0, size: 12, modTime: 1764668700123456789n, linkname: '' };
    expect(decode(encodeStat(stat))).toEqual({ stat: { path: 'src/a.go', mode: 0o755, size: '12', modTime: '1764668700123456789' } });
    expect(encodeStat(null).length).toBe(0);
    expect(decode(encodeStat({ ...stat, path: 'd', mode: goFileMode(0o40755), size: 0 })).stat).toMatchObject({ mode: 0x800001ed });
  });

  it('encodes DATA, FIN and ERR, and decodes what the receiver sends', () => {
    expect(decode(encodeData(7, Buffer.from('hi')))).toEqual({ type: PACKET.DATA, ID: 7, data: Buffer.from('hi').toString('base64') });
    expect(decode(encodeData(0, Buffer.alloc(0)))).toEqual({ type: PACKET.DATA });
    expect(decode(encodeSimple(PACKET.ERR, 'boom'))).toMatchObject({ type: PACKET.ERR });
    const req = WIRE.encode(WIRE.fromObject({ type: PACKET.REQ, ID: 300 })).finish();
    expect(decodePacket(req)).toMatchObject({ type: PACKET.REQ, id: 300 });
    expect(decodePacket(encodeSimple(PACKET.FIN))).toMatchObject({ type: PACKET.FIN, id: 0 });
  });

  it("maps st_mode to Go's os.FileMode", () => {
    expect(goFileMode(0o100644)).toBe(0o644);
    expect(isDirMode(goFileMode(0o40755))).toBe(true);
    expect(goFileMode(0o120777)).toBe(((1 << 27) | 0o777) >>> 0);
    expect(goFileMode(0o104755)).toBe(((1 << 23) | 0o755) >>> 0);
  });
});

describe('moby pattern rules', () => {
  const matches = (patterns: string[], path: string) => new PatternMatcher(patterns).match(path, null).matched;
  it('matches as docker build does', () => {
    expect(matches(['docs'], 'docs/a/b.md')).toBe(true); // a folder's pattern covers what it holds
    expect(matches(['*.log', '!keep.log'], 'keep.log')).toBe(false);
    expect(matches(['*.log', '!keep.log'], 'x.log')).toBe(true);
    expect(matches(['*.log'], 'src/x.log')).toBe(false); // `*` stays in one folder
    expect(matches(['**/*.log'], 'src/deep/x.log')).toBe(true);
    expect(matches(['**/x.log'], 'x.log')).toBe(true);
    expect(matches(['src/**'], 'src/a')).toBe(true);
    expect(matches(['README.md'], 'readme.md')).toBe(false); // case-sensitive, as on Linux
    expect(matches(['a?c', 'f[0-9]'], 'abc')).toBe(true);
    expect(matches(['./a/../b/'], 'b')).toBe(true); // cleaned like filepath.Clean
    expect(matches(['a.b'], 'axb')).toBe(false); // `.` is literal
  });
  it('passes a folder result down to what it holds', () => {
    const m = new PatternMatcher(['src', '!src/keep']);
    const dir = m.match('src', null);
    expect(dir.matched).toBe(true);
    expect(m.match('src/x', dir.info).matched).toBe(true);
    expect(m.match('src/keep', dir.info).matched).toBe(false);
  });
});

describe('the walk a session sends', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'stagescope-sync-'));
  });
  afterEach(() => {
    chmodSync(root, 0o755);
    rmSync(root, { recursive: true, force: true });
  });
  const write = (rel: string, body = rel) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), body);
  };
  const walk = async (filter: Partial<SyncFilter> = {}) => {
    const out: string[] = [];
    const full = { includePatterns: [], excludePatterns: [], followPaths: [], ...filter };
    for await (const e of syncEntries({ root }, full, () => false)) out.push(isDirMode(e.stat.mode) ? `${e.stat.path}/` : e.stat.path);
    return out;
  };

  it('sends each folder before what it holds, names in byte order', async () => {
    for (const f of ['a/x', 'a-b', 'B', 'a.txt', 'a/y/z']) write(f);
    expect(await walk()).toEqual(['B', 'a/', 'a/x', 'a/y/', 'a/y/z', 'a-b', 'a.txt']);
  });

  it('leaves out excluded paths, but sends a folder holding a re-included one', async () => {
    for (const f of ['src/a.log', 'src/keep.log', 'src/main.go', 'docs/r.md', 'x']) write(f);
    expect(await walk({ excludePatterns: ['*', '!src/keep.log'] })).toEqual(['src/', 'src/keep.log']);
    expect(await walk({ excludePatterns: ['src/*.log', '!src/keep.log', 'docs'] })).toEqual(['src/', 'src/keep.log', 'src/main.go', 'x']);
    expect(await walk({ excludePatterns: ['**/*.go'] })).toEqual(['docs/', 'docs/r.md', 'src/', 'src/a.log', 'src/keep.log', 'x']);
  });

  it('sends only the followed paths, and what a followed symlink points to', async () => {
    write('Dockerfile');
    write('real/Dockerfile.dockerignore');
    write('other');
    symlinkSync('real/Dockerfile.dockerignore', join(root, 'Dockerfile.dockerignore'));
    expect(await walk({ followPaths: ['Dockerfile', 'Dockerfile.dockerignore', 'dockerfile'] })).toEqual([
      'Dockerfile',
      'Dockerfile.dockerignore',
      'real/',
      'real/Dockerfile.dockerignore',
    ]);
  });

  it('sends a symlink as a link and a second name of a file as a hard link to the first', async () => {
    write('a.txt', 'hello');
    symlinkSync('a.txt', join(root, 'l'));
    linkSync(join(root, 'a.txt'), join(root, 'b.txt'));
    const stats = [];
    for await (const e of syncEntries({ root }, { includePatterns: [], excludePatterns: [], followPaths: [] }, () => false))
      stats.push(e.stat);
    expect(stats.map((s) => [s.path, s.size, s.linkname])).toEqual([
      ['a.txt', 5, ''],
      ['b.txt', 0, 'a.txt'],
      ['l', 5, 'a.txt'],
    ]);
  });

  it('serves the Dockerfile to build apart from the context, and names an unreadable context file', async () => {
    write('Dockerfile', 'FROM scratch\n');
    write('.dockerignore', 'secret\n');
    write('secret', 'no');
    write('private.txt');
    const ctx = await sessionContext(root, { dockerfile: join(root, 'Dockerfile'), dockerfileText: 'FROM scratch AS x\n' });
    expect(ctx.dockerfileName).toBe('Dockerfile');
    expect(ctx.dirs.get('dockerfile')).toEqual({ files: [{ name: 'Dockerfile', text: 'FROM scratch AS x\n' }] });
    expect(ctx.dirs.get('context')).toEqual({ root });
    const again = await sessionContext(root, { dockerfile: join(root, 'Dockerfile'), dockerfileText: 'FROM scratch AS x\n' });
    expect(again.digest).toBe(ctx.digest);
    // Run as `nobody` (root reads anything): an excluded file is never read, a kept one is.
    chmodSync(root, 0o755);
    chmodSync(join(root, 'secret'), 0);
    expect(messageAsNobody(root)).toBe('no error');
    chmodSync(join(root, 'private.txt'), 0);
    expect(messageAsNobody(root)).toMatch(/^StageScopeError: Cannot read .*private\.txt/);
  }, 60_000);
});

function messageAsNobody(dir: string): string {
  const script = `import { sessionContext } from ${JSON.stringify(join(import.meta.dirname, 'session-context.ts'))};
sessionContext(${JSON.stringify(dir)}, { dockerfile: ${JSON.stringify(join(dir, 'Dockerfile'))} }).then(() => console.log('no error'), (e) => console.log(e.name + ': ' + e.message));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    uid: process.getuid?.() === 0 ? 65534 : undefined,
    gid: process.getuid?.() === 0 ? 65534 : undefined,
    cwd: process.cwd(),
    encoding: 'utf8',
  });
  return (r.stdout || r.stderr).trim();
}
