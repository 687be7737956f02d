// The reference file list of an image, read from `docker save` (never `docker export`, which
// hides image-owned /dev/*, /etc/hostname and /etc/resolv.conf): the layers of the legacy
// manifest.json applied in order with the OCI whiteout rules. Written independently of
// StageScope's own archive reader so that a test compares the product with something else.
// The archive streams: each layer is parsed as it arrives, never held whole.
import { spawn } from 'node:child_process';
import { posix } from 'node:path';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { readTarFileList, type ExportEntry } from './tar-list.ts';

export type SavedEntry = ExportEntry;

interface SaveManifest {
  RepoTags: string[] | null;
  Config: string;
  Layers: string[];
}

/** Sniffs one blob of the outer tar: a layer (plain or gzip tar) is parsed, a small JSON kept. */
async function readBlob(
  body: AsyncIterable<Buffer>,
  opts: { hashes?: boolean },
): Promise<{ layer: SavedEntry[] | null; json: Buffer | null }> {
  const head: Buffer[] = [];
  let got = 0;
  let rest: PassThrough | null = null;
  let parsing: Promise<SavedEntry[]> | null = null;
  let decided = false;
  const decide = () => {
    decided = true;
    const first = Buffer.concat(head);
    const gzip = first[0] === 0x1f && first[1] === 0x8b;
    // An empty layer (a WORKDIR that made no change) is a tar of only its two zero blocks.
    const isTar =
      (first.length >= 262 && first.subarray(257, 262).toString('latin1') === 'ustar') ||
      (first.length >= 512 && first.subarray(0, 512).every((b) => b === 0));
    if (!gzip && !isTar) return;
    rest = new PassThrough();
    parsing = readTarFileList(gzip ? rest.pipe(createGunzip()) : rest, opts);
    rest.write(first);
  };
  for await (const chunk of body) {
    if (!decided) {
      head.push(chunk);
      got += chunk.length;
      if (got >= 512) decide();
      continue;
    }
    if (rest) {
      const r = rest as PassThrough;
      if (!r.write(chunk)) await once(r, 'drain');
    } else head.push(chunk);
  }
  if (!decided) decide();
  if (rest && parsing) {
    (rest as PassThrough).end();
    return { layer: await parsing, json: null };
  }
  return { layer: null, json: Buffer.concat(head) };
}

/**
 * Reads `docker save REF...` once: each layer is parsed once, however many images share it;
 * with `hashes`, each regular file's content sha256 too.
 */
export async function readDockerSave(refs: readonly string[], opts: { hashes?: boolean } = {}): Promise<Map<string, SavedEntry[]>> {
  const child = spawn('docker', ['save', ...refs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const layers = new Map<string, SavedEntry[]>();
  let manifest: SaveManifest[] | null = null;
  const outer = tar.extract();
  child.stdout.pipe(outer);
  for await (const entry of outer) {
    const name = posix.normalize(entry.header.name);
    if (entry.header.type !== 'file') {
      entry.resume();
      continue;
    }
    const { layer, json } = await readBlob(entry as unknown as AsyncIterable<Buffer>, opts);
    if (layer) layers.set(name, layer);
    else if (name === 'manifest.json' && json) manifest = JSON.parse(json.toString('utf8')) as SaveManifest[];
  }
  const code = await exited;
  if (code !== 0) throw new Error(`docker save ${refs.join(' ')} failed (${code}): ${stderr.trim()}`);
  if (!manifest) throw new Error('docker save wrote no manifest.json');
  const result = new Map<string, SavedEntry[]>();
  (manifest as SaveManifest[]).forEach((m, i) => {
    const stack = m.Layers.map((l) => {
      const layer = layers.get(posix.normalize(l));
      if (!layer) throw new Error(`docker save: layer ${l} missing from the archive`);
      return layer;
    });
    const merged = mergeLayers(stack);
    for (const tag of m.RepoTags ?? []) result.set(tag, merged);
    result.set(`#${i}`, merged);
  });
  return result;
}

/** Every path of one image (absolute, sorted), with type, size, mode and link target. */
export async function savedFileList(ref: string, opts: { hashes?: boolean } = {}): Promise<SavedEntry[]> {
  const lists = await readDockerSave([ref], opts);
  if (lists.has('#1')) throw new Error(`docker save ${ref}: expected one image, found several`);
  return lists.get('#0')!;
}

const under = (path: string, dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);

/** OCI whiteouts: `.wh..wh..opq` hides the lower children of its folder, `.wh.NAME` removes NAME. */
export function mergeLayers(stack: readonly SavedEntry[][]): SavedEntry[] {
  const files = new Map<string, SavedEntry>();
  for (const layer of stack) {
    const opaque = layer.filter((e) => posix.basename(e.path) === '.wh..wh..opq').map((e) => posix.dirname(e.path));
    for (const dir of opaque) for (const p of [...files.keys()]) if (p !== dir && under(p, dir)) files.delete(p);
    for (const e of layer) {
      const base = posix.basename(e.path);
      if (!base.startsWith('.wh.')) continue;
      if (base.startsWith('.wh..wh.')) continue;
      const gone = posix.join(posix.dirname(e.path), base.slice(4));
      for (const p of [...files.keys()]) if (under(p, gone)) files.delete(p);
    }
    for (const e of layer) if (!posix.basename(e.path).startsWith('.wh.')) files.set(e.path, e);
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
