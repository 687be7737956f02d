// A loopback TCP proxy in front of a real server that cuts connections after a number of
// bytes have gone to the client: a network failure in the middle of a download, for real.
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface CutProxy {
  host: string;
  /** Connections cut so far. */
  cuts(): number;
  stop(): Promise<void>;
}

/**
 * @param cutAfter bytes sent to the client on one connection before it is destroyed
 * @param maxCuts connections to cut; later ones pass through untouched
 */
export async function startCutProxy(target: { host: string; port: number }, cutAfter: number, maxCuts: number): Promise<CutProxy> {
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let sent = 0;
    const armed = cuts < maxCuts;
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (armed && cuts < maxCuts && sent + chunk.length > cutAfter) {
        client.write(chunk.subarray(0, Math.max(0, cutAfter - sent)));
        cuts++;
        client.destroy();
        upstream.destroy();
        return;
      }
      sent += chunk.length;
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    upstream.on('close', end).on('error', end);
    client.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    cuts: () => cuts,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
