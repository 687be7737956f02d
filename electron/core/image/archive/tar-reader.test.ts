// The layer tar reader against tar-stream (what it replaced) on the same bytes: GNU tar's gnu
// and pax formats (long names and link names, base-256 ids, PAX times) and tar-stream's own
// archives, fed in random chunk sizes; and the errors it must raise.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, linkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TarReader, type TarHeader } from './tar-reader.ts';
import { makeTar } from './testing/archives.ts';

interface Seen {
  name: string;
  type: string | null;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string | null;
  pax: Record<string, string> | null;
  sha: string | null;
}

function readOurs(bytes: Buffer, chunk: number): Seen[] {
  const seen: Seen[] = [];
  let hash: ReturnType<typeof createHash> | null = null;
  const reader = new TarReader({
    entry: (h: TarHeader) => {
      seen.push({ ...h, sha: null });
      hash = createHash('sha256');
      return true;
    },
    data: (c) => hash!.update(c),
    done: () => (seen.at(-1)!.sha = hash!.digest('hex')),
  });
  for (let i = 0; i < bytes.length; i += chunk) reader.write(bytes.subarray(i, i + chunk));
  reader.end();
  return seen;
}

async function readTarStream(bytes: Buffer): Promise<Seen[]> {
  const seen: Seen[] = [];
  const extract = tar.extract();
  extract.on('entry', (h, stream, next) => {
    const hash = createHash('sha256');
    let any = false;
    stream.on('data', (c) => {
      any = true;
      hash.update(c as Buffer);
    });
    stream.on('end', () => {
      seen.push({
        name: h.name,
        type: h.type ?? null,
        mode: h.mode ?? 0,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        size: h.size ?? 0,
        mtime: (h.mtime?.getTime() ?? 0) / 1000,
        linkname: h.linkname ?? null,
        pax: (h.pax as Record<string, string> | null | undefined) ?? null,
        sha: any ? hash.digest('hex') : null,
      });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    Readable.from([bytes]).pipe(extract);
  });
  return seen;
}

let dir = '';
const archives: [string, Buffer][] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stagescope-tar-reader-'));
  const root = join(dir, 'root');
  const deep = join(root, 'a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'long-name-' + 'x'.repeat(120)), 'long');
  writeFileSync(join(root, 'big'), Buffer.alloc(70_000, 7));
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'ünïcödé'), 'utf8 name');
  symlinkSync('t'.repeat(150), join(root, 'long-link'));
  linkSync(join(root, 'big'), join(root, 'hard'));
  for (const format of ['gnu', 'pax', 'ustar', 'oldgnu']) {
    const args = [
      '-C',
      root,
      `--format=${format}`,
      '--owner=3000000',
      '--group=7',
      '--numeric-owner',
      '--mtime=@1700000000.25',
      '-cf',
      '-',
      '.',
    ];
    // ustar cannot hold the long names or the large id: GNU tar refuses those members.
    const safe = format === 'ustar' ? ['--exclude=./a*', '--exclude=./long-link', '--owner=5'] : [];
    archives.push([
      `GNU tar --format=${format}`,
      execFileSync('tar', [...args.slice(0, 5), ...safe, ...args.slice(5)], { maxBuffer: 1 << 26 }),
    ]);
  }
  archives.push([
    'tar-stream pack',
    await makeTar([
      { name: 'dir/', type: 'directory' },
      { name: 'dir/f', content: 'x'.repeat(1000), mode: 0o4755, uid: 65534 },
      { name: 'p', content: 'y', pax: { path: 'renamed-by-pax', 'SCHILY.xattr.user.k': 'v', mtime: '1.5' } },
      { name: 'dev', type: 'character-device' },
      { name: 'l', type: 'symlink', linkname: '../x' },
    ]),
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TarReader', () => {
  it('reads what tar-stream reads, whatever the chunk size', async () => {
    expect(archives.length).toBe(5);
    for (const [what, bytes] of archives) {
      const expected = await readTarStream(bytes);
      expect(expected.length, what).toBeGreaterThan(3);
      for (const chunk of [1, 7, 511, 512, 513, 4096, bytes.length]) {
        expect(readOurs(bytes, chunk), `${what}, chunks of ${chunk}`).toEqual(expected);
      }
    }
    const gnu = readOurs(archives[0][1], 100);
    // The cases the formats exist for: a 200-character name, a 150-character link, base-256 uid.
    expect(gnu.some((e) => e.name.endsWith('long-name-' + 'x'.repeat(120)))).toBe(true);
    expect(gnu.find((e) => e.name === './long-link')?.linkname).toBe('t'.repeat(150));
    // big and hard are one file: whichever comes first holds the content, the other links to it.
    expect(gnu.find((e) => e.type === 'file' && e.size === 70_000)).toMatchObject({ uid: 3000000, gid: 7, mtime: 1700000000 });
    const pax = readOurs(archives[1][1], 100);
    expect(pax.find((e) => e.name === './empty')?.pax?.mtime).toBe('1700000000.25');
  });

  it('refuses a broken checksum, an unknown format and a tar that stops inside an entry', () => {
    const good = archives[0][1];
    const badSum = Buffer.from(good);
    badSum[10] ^= 1;
    expect(() => readOurs(badSum, 4096)).toThrow(/Invalid tar header/);
    const unknown = Buffer.from(good);
    unknown.write('xxxxx', 257, 'latin1');
    // The checksum covers the magic: fix it so only the format is wrong.
    unknown.write('        ', 148, 'latin1');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += unknown[i];
    unknown.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    expect(() => readOurs(unknown, 4096)).toThrow(/unknown format/);
    const big = good.indexOf(Buffer.alloc(64, 7));
    expect(big).toBeGreaterThan(0);
    expect(() => readOurs(good.subarray(0, big + 100), 4096)).toThrow(/Unexpected end of data/);
    expect(() => readOurs(good.subarray(0, 300), 4096)).toThrow(/Unexpected end of data/);
  });
});
