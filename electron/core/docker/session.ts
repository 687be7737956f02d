// A BuildKit session for one build, as the docker CLI opens one for every build.
//
// Why: without a session, BuildKit cannot even ask whether a secret or an SSH agent was given,
// so `RUN --mount=type=secret` and `RUN --mount=type=ssh` fail with "no active sessions" even
// when the mount is optional (secrets and ssh are optional unless `required=true`), while a
// plain `docker build` runs them with nothing mounted. The session serves no secrets, no SSH
// agent and no files (the context travels as the request's tar body): BuildKit finds those
// services unimplemented, treats the secret as not found and skips optional mounts, exactly as
// with a docker CLI build given no `--secret` / `--ssh`.
//
// It answers grpc.health.v1.Health/Check, which BuildKit polls: dockerode's own session lacks
// it, and BuildKit drops such a session after ~10 s ("no active session", apocas/dockerode#845).
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import type Dockerode from 'dockerode';
import { StageScopeError } from '../../../shared/errors.ts';

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

/** A session for one build, or null when the engine offers none (then optional mounts fail). */
export function openBuildSession(docker: Dockerode): Promise<BuildSession | null> {
  const id = randomUUID();
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
          'X-Docker-Expose-Session-Sharedkey': id,
          'X-Docker-Expose-Session-Grpc-Method': HEALTH_SERVICE.Check.path,
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
