// The file list of an image as `docker save` writes it (its layers merged with the OCI
// whiteout rules), independent of StageScope's own archive reader: the reference for "every
// stage image has exactly the files of a plain `docker build`". Unlike `docker export` it hides
// nothing the image owns (/dev/*, /etc/hostname, /etc/resolv.conf). Meant for small test images:
// the archive is held in memory.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { normalizeTarPath, type ExportEntry, type ExportEntryType } from './tar-list.ts';

async function readTar(
  stream: Readable,
  keepBody: (name: string, size: number) => boolean,
): Promise<Array<{ header: tar.Header; body: Buffer | null }>> {
  const out: Array<{ header: tar.Header; body: Buffer | null }> = [];
  const ex = tar.extract();
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      const keep = keepBody(entry.header.name, entry.header.size ?? 0);
      for await (const c of entry) if (keep) chunks.push(c as Buffer);
      out.push({ header: entry.header, body: keep ? Buffer.concat(chunks) : null });
    }
  })();
  stream.pipe(ex);
  await done;
  return out;
}

function typeOf(t: tar.Header['type']): ExportEntryType {
  if (t === 'file' || t === 'contiguous-file') return 'file';
  if (t === 'directory') return 'directory';
  if (t === 'symlink') return 'symlink';
  if (t === 'link') return 'hardlink';
  return 'other';
}

async function dockerSave(ref: string): Promise<Buffer> {
  const child = spawn('docker', ['save', ref], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`docker save ${ref} failed: ${stderr.trim()}`);
  return Buffer.concat(chunks);
}

/**
 * Every path of the image (absolute), with type, size and link target, from `docker save`;
 * with `hashes`, each regular file's content sha256 too.
 */
export async function savedFileList(ref: string, opts: { hashes?: boolean } = {}): Promise<Array<ExportEntry & { sha256?: string }>> {
  const archive = await readTar(Readable.from(await dockerSave(ref)), () => true);
  const byName = new Map(archive.map((e) => [e.header.name.replace(/^\.\//, ''), e.body ?? Buffer.alloc(0)]));
  const manifest = JSON.parse(byName.get('manifest.json')?.toString() ?? '[]') as Array<{ Layers: string[] }>;
  if (manifest.length !== 1) throw new Error(`docker save ${ref}: expected one manifest, found ${manifest.length}`);
  const files = new Map<string, ExportEntry & { sha256?: string }>();
  for (const layerPath of manifest[0].Layers) {
    const layer = byName.get(layerPath);
    if (!layer) throw new Error(`docker save ${ref}: layer ${layerPath} missing`);
    const entries = await readTar(Readable.from(layer), () => opts.hashes === true);
    // Whiteouts first (an opaque directory hides the lower layers only), then additions.
    for (const { header } of entries) {
      const path = normalizeTarPath(header.name);
      const base = posix.basename(path);
      const dir = posix.dirname(path);
      if (base === '.wh..wh..opq') {
        for (const p of [...files.keys()]) if (p.startsWith(dir === '/' ? '/' : `${dir}/`) && p !== dir) files.delete(p);
      } else if (base.startsWith('.wh.')) {
        const gone = posix.join(dir, base.slice(4));
        for (const p of [...files.keys()]) if (p === gone || p.startsWith(`${gone}/`)) files.delete(p);
      }
    }
    for (const { header, body } of entries) {
      const path = normalizeTarPath(header.name);
      if (posix.basename(path).startsWith('.wh.') || path === '/') continue;
      const type = typeOf(header.type);
      const linkTarget =
        type === 'symlink' ? (header.linkname ?? '') : type === 'hardlink' ? normalizeTarPath(header.linkname ?? '') : null;
      const size = type === 'file' ? (header.size ?? 0) : 0;
      const sha256 = opts.hashes && type === 'file' && body ? { sha256: createHash('sha256').update(body).digest('hex') } : {};
      files.set(path, { path, type, size, mode: (header.mode ?? 0) & 0o7777, linkTarget, ...sha256 });
    }
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
