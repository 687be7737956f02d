// Serves the built renderer and nothing else: no directory listings, no path outside the
// static folder (after percent-decoding, normalising and resolving symlinks).
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file a URL path names inside `root`, or null when it would leave it or is malformed. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((seg) => seg === '..')) return null;
  const rel = path.posix.normalize(decoded).replace(/^\/+/, '');
  const file = path.resolve(root, rel === '' ? 'index.html' : rel);
  const base = path.resolve(root);
  return file.startsWith(base + path.sep) ? file : null;
}

/** Sends the file or a 404; true when something was sent for the path. */
export async function serveStatic(res: ServerResponse, root: string, urlPath: string, head: boolean): Promise<void> {
  const file = resolveStaticPath(root, urlPath);
  const real = file ? await realpath(file).catch(() => null) : null;
  const base = await realpath(root).catch(() => path.resolve(root));
  const info = real && real.startsWith(base + path.sep) ? await stat(real).catch(() => null) : null;
  if (!real || !info || !info.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': contentType(real),
    'Content-Length': info.size,
    // The page carries the token in its first URL; never cache it, assets are hashed anyway.
    'Cache-Control': 'no-store',
  });
  if (head) {
    res.end();
    return;
  }
  createReadStream(real)
    .on('error', () => res.destroy())
    .pipe(res);
}
