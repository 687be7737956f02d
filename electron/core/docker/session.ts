// A BuildKit session for one build, as the docker CLI opens one for every build.
//
// Why: without a session, BuildKit cannot even ask whether a secret or an SSH agent was given,
// so `RUN --mount=type=secret` and `RUN --mount=type=ssh` fail with "no active sessions" even
// when the mount is optional (secrets and ssh are optional unless `required=true`), while a
// plain `docker build` runs them with nothing mounted. The session serves no secrets and no SSH
// agent: BuildKit finds those services unimplemented, treats the secret as not found and skips
// optional mounts, exactly as with a docker CLI build given no `--secret` / `--ssh`. Given
// `dirs`, it serves the build context and the Dockerfile as the docker CLI does (filesync.ts).
//
// It answers grpc.health.v1.Health/Check, which BuildKit polls: dockerode's own session lacks
// it, and BuildKit drops such a session after ~10 s ("no active session", apocas/dockerode#845).
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type Dockerode from 'dockerode';
import { StageScopeError } from '../../../shared/errors.ts';
import { diffCopyHandler, FILE_SYNC_SERVICE, type SentCallback } from './filesync.ts';
import type { SyncedDir } from './sync-walk.ts';

const raw = (b: Buffer) => b;
/** grpc.health.v1.Health with hand-encoded messages: one method, one enum field. */
const HEALTH_SERVICE: grpc.ServiceDefinition = {
  Check: {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  },
};
/** HealthCheckResponse { status: SERVING (1) }: field 1, varint. */
const SERVING = Buffer.from([0x08, 0x01]);

export interface BuildSession {
  /** For the build request's `session` parameter. */
  id: string;
  close(): void;
}

export interface SessionOptions {
  /** Dirs BuildKit may read by name ("context", "dockerfile"): the build then needs no tar. */
  dirs?: ReadonlyMap<string, SyncedDir>;
  /**
   * Lets BuildKit keep the last transfer of these dirs and send only what changed next time
   * (the docker CLI derives it from the context folder too). Default: the session id.
   */
  sharedKey?: string;
  onSent?: SentCallback;
}

/** A session for one build, or null when the engine offers none (then optional mounts fail). */
export function openBuildSession(docker: Dockerode, opts: SessionOptions = {}): Promise<BuildSession | null> {
  const id = randomUUID();
  const serveFiles = opts.dirs !== undefined && opts.dirs.size > 0;
  // BuildKit calls only the methods the session lists, one header line each.
  const methods = [HEALTH_SERVICE.Check.path, ...(serveFiles ? [FILE_SYNC_SERVICE.DiffCopy.path] : [])];
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        method: 'POST',
        path: '/session',
        hijack: true,
        headers: {
          Upgrade: 'h2c',
          Connection: 'Upgrade',
          'X-Docker-Expose-Session-Uuid': id,
          'X-Docker-Expose-Session-Name': 'stagescope',
          'X-Docker-Expose-Session-Sharedkey': opts.sharedKey ?? id,
          'X-Docker-Expose-Session-Grpc-Method': methods,
        },
        statusCodes: { 101: true, 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (err: unknown, socket: unknown) => {
        // An engine without BuildKit sessions (podman's Docker API answers 404): build without one.
        if (err && (err as { statusCode?: number }).statusCode === 404) {
          resolve(null);
          return;
        }
        if (err) {
          reject(
            new StageScopeError(
              'engine',
              `The Docker Engine refused a build session: ${(err as Error).message ?? String(err)}`,
              'Check that the engine supports BuildKit (API >= 1.39).',
            ),
          );
          return;
        }
        const server = new grpc.Server();
        server.addService(HEALTH_SERVICE, {
          Check: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, SERVING),
        });
        if (serveFiles) server.addService(FILE_SYNC_SERVICE, { DiffCopy: diffCopyHandler(opts.dirs!, opts.onSent) });
        const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
        injector.injectConnection(socket as Socket);
        let closed = false;
        resolve({
          id,
          close: () => {
            if (closed) return;
            closed = true;
            server.forceShutdown();
            (socket as Socket).destroy();
          },
        });
      },
    );
  });
}
