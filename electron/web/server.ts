// The browser host: the built renderer over HTTP and the API over a WebSocket, on 127.0.0.1
// only, for one user holding a per-run token. It prints nothing; the CLI prints the URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EngineStatus } from '../../shared/api.ts';
import { BuildRunner } from '../core/api/builds.ts';
import { contentSecurityPolicy } from '../../shared/csp.ts';
import { createHandlers } from '../core/api/handlers.ts';
import { Sides } from '../core/api/sides.ts';
import { createBuildHistory } from '../core/api/build-history.ts';
import { fileRecentStore, memoryRecentStore } from '../core/api/recent.ts';
import { createSessionHolder } from '../core/api/session-holder.ts';
import type { ProjectSessionApi } from '../core/project/types.ts';
import { createToken, hostAllowed, originAllowed, requestToken, tokensEqual } from './auth.ts';
import { broadcast, MAX_MESSAGE_BYTES, serveSocket } from './socket.ts';
import { serveDownload } from './download.ts';
import { serveStatic } from './static.ts';

export interface WebHostOptions {
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** A project folder to open before listening; its errors reject startWebHost. */
  root?: string;
  /** 0 or absent: any free port. */
  port?: number;
  openSession(root: string): Promise<ProjectSessionApi>;
  engineStatus(): Promise<EngineStatus>;
  /** Tests pass a fixed token; otherwise a random one per run. */
  token?: string;
  /** Where recent projects and each project's last build survive a restart (`serve` passes
   *  defaultStateDir()); absent: kept in memory only. */
  stateDir?: string;
}

export interface WebHost {
  /** http://127.0.0.1:PORT/?token=... : the one URL to open. */
  url: string;
  token: string;
  port: number;
  /** The bound address, from server.address(): always 127.0.0.1. */
  address: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? createToken();
  const clients = new Set<WebSocket>();
  const builds = new BuildRunner(createBuildHistory(opts.stateDir ?? null));
  const holder = createSessionHolder(opts.openSession);
  const recent = opts.stateDir ? fileRecentStore(join(opts.stateDir, 'recent-projects.json')) : memoryRecentStore();
  const emit = (name: string, payload: unknown) => broadcast(clients, name, payload);
  const sides = new Sides(holder.getSession);
  const table = createHandlers({ ...holder, recent, emit, builds, sides, engineStatus: opts.engineStatus });
  if (opts.root) {
    const session = await holder.openSession(opts.root);
    await recent.add(session.root);
  }

  const server = createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Security-Policy', contentSecurityPolicy());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req) || !originAllowed(req, false)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden\n');
      return;
    }
    // The page may open a socket to this host as the browser addresses it (an SSH tunnel may
    // forward another local port), and to nothing else.
    res.setHeader('Content-Security-Policy', contentSecurityPolicy({ socketHost: req.headers.host }));
    // The static files are public; a wrong token is refused anyway, so a stale URL says so.
    const given = requestToken(url);
    if ((given !== null || url.pathname === '/download') && !tokensEqual(given, token)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Open the URL StageScope printed (it carries the token).\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/download') return serveDownload(res, url, sides, holder.getSession() !== null);
    return serveStatic(res, opts.staticDir, url.pathname, req.method === 'HEAD');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok = url.pathname === '/ws' && hostAllowed(req) && originAllowed(req, true) && tokensEqual(requestToken(url), token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      serveSocket(ws, table);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const bound = server.address() as AddressInfo;
  // Declared here, read by the handlers above: they run only once the server listens.
  const port = bound.port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    address: bound.address,
    async close() {
      await builds.cancelAll();
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
