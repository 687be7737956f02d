// The part of BuildKit's control API that the engine streams as `moby.buildkit.trace` aux
// messages: moby.buildkit.v1.StatusResponse and what it holds. Field numbers are copied from
// moby/buildkit api/services/control/control.proto and solver/pb/ops.proto (Range, Position).
// No npm package publishes these; kept as a string so bundling never loses a .proto file.
// Timestamp is declared locally (same wire format as google.protobuf.Timestamp) so protobufjs
// does not apply its own wrappers.
import protobuf from 'protobufjs';

export const BUILDKIT_STATUS_PROTO = `
syntax = "proto3";
package moby.buildkit.v1;

message Timestamp { int64 seconds = 1; int32 nanos = 2; }

message StatusResponse {
  repeated Vertex vertexes = 1;
  repeated VertexStatus statuses = 2;
  repeated VertexLog logs = 3;
  repeated VertexWarning warnings = 4;
}

message Vertex {
  string digest = 1;
  repeated string inputs = 2;
  string name = 3;
  bool cached = 4;
  Timestamp started = 5;
  Timestamp completed = 6;
  string error = 7;
}

message VertexStatus {
  string ID = 1;
  string vertex = 2;
  string name = 3;
  int64 current = 4;
  int64 total = 5;
  Timestamp timestamp = 6;
  Timestamp started = 7;
  Timestamp completed = 8;
}

message VertexLog {
  string vertex = 1;
  Timestamp timestamp = 2;
  int64 stream = 3;
  bytes msg = 4;
}

message Position { int32 line = 1; int32 character = 2; }
message Range { Position start = 1; Position end = 2; }
message SourceInfo { string filename = 1; bytes data = 2; string language = 4; }

message VertexWarning {
  string vertex = 1;
  int64 level = 2;
  bytes short = 3;
  repeated bytes detail = 4;
  string url = 5;
  SourceInfo info = 6;
  repeated Range ranges = 7;
}
`;

export interface PbTimestamp {
  seconds?: number;
  nanos?: number;
}
export interface PbVertex {
  digest: string;
  inputs?: string[];
  name?: string;
  cached?: boolean;
  started?: PbTimestamp;
  completed?: PbTimestamp;
  error?: string;
}
export interface PbVertexLog {
  vertex: string;
  timestamp?: PbTimestamp;
  stream?: number;
  msg?: Uint8Array;
}
export interface PbVertexWarning {
  vertex?: string;
  level?: number;
  short?: Uint8Array;
  detail?: Uint8Array[];
  url?: string;
  info?: { filename?: string };
  ranges?: { start?: { line?: number; character?: number }; end?: { line?: number; character?: number } }[];
}
export interface StatusResponse {
  vertexes: PbVertex[];
  statuses: unknown[];
  logs: PbVertexLog[];
  warnings: PbVertexWarning[];
}

const statusType = protobuf.parse(BUILDKIT_STATUS_PROTO, { keepCase: true }).root.lookupType('moby.buildkit.v1.StatusResponse');

/** Decode the base64 `aux` of a `moby.buildkit.trace` message. */
export function decodeStatus(base64: string): StatusResponse {
  const message = statusType.decode(Buffer.from(base64, 'base64'));
  return statusType.toObject(message, { longs: Number, arrays: true, defaults: false }) as StatusResponse;
}

export function timestampMs(t: PbTimestamp | undefined): number | undefined {
  if (!t || (t.seconds === undefined && t.nanos === undefined)) return undefined;
  return (t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}
