// The messages of BuildKit's file transfer (tonistiigi/fsutil types/wire.proto and stat.proto):
// `Packet { type, stat, ID, data }` and `Stat`. Hand-encoded with protobufjs's Writer/Reader,
// as in buildkit-proto.ts: no .proto file to lose in bundling, and the 64-bit times go in
// exactly (a JS number cannot hold a nanosecond Unix time).
import protobuf from 'protobufjs';

export const PACKET = { STAT: 0, REQ: 1, DATA: 2, FIN: 3, ERR: 4 } as const;

/** fsutil's Stat: `mode` is a Go os.FileMode (type bits high, permissions low), not st_mode. */
export interface WireStat {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Nanoseconds since the Unix epoch. */
  modTime: bigint;
  linkname: string;
  devmajor?: number;
  devminor?: number;
}

// Go's os.FileMode type bits (io/fs), the ones a Linux walk can produce.
const GO_MODE = {
  dir: 1 << 31,
  symlink: 1 << 27,
  device: 1 << 26,
  namedPipe: 1 << 25,
  socket: 1 << 24,
  setuid: 1 << 23,
  setgid: 1 << 22,
  charDevice: 1 << 21,
  sticky: 1 << 20,
};
/** Every type bit: a Stat without any of them is a regular file (fsutil's fileCanRequestData). */
const GO_TYPE_MASK = GO_MODE.dir | GO_MODE.symlink | GO_MODE.device | GO_MODE.namedPipe | GO_MODE.socket | GO_MODE.charDevice;

/** Go's os.FileMode of a Linux st_mode, as Go's `fi.Mode()` computes it. */
export function goFileMode(stMode: number): number {
  let m = stMode & 0o777;
  const type = stMode & 0o170000;
  if (type === 0o040000) m |= GO_MODE.dir;
  else if (type === 0o120000) m |= GO_MODE.symlink;
  else if (type === 0o010000) m |= GO_MODE.namedPipe;
  else if (type === 0o140000) m |= GO_MODE.socket;
  else if (type === 0o060000) m |= GO_MODE.device;
  else if (type === 0o020000) m |= GO_MODE.device | GO_MODE.charDevice;
  if (stMode & 0o4000) m |= GO_MODE.setuid;
  if (stMode & 0o2000) m |= GO_MODE.setgid;
  if (stMode & 0o1000) m |= GO_MODE.sticky;
  return m >>> 0;
}

export const isRegularMode = (goMode: number) => (goMode & GO_TYPE_MASK) === 0;
export const isDirMode = (goMode: number) => (goMode & GO_MODE.dir) !== 0;

/** protobufjs takes a {low, high} pair for a 64-bit field. */
function int64(v: bigint): { low: number; high: number } {
  const u = BigInt.asUintN(64, v);
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0 };
}

/**
 * A STAT packet; `null` is the STAT without a stat that ends the walk (the receiver checks for a
 * nil stat: an empty one would be a file named ""). Type STAT is 0, the default: not written.
 * Zero fields are left out, as proto3 encoders do.
 */
export function encodeStat(stat: WireStat | null): Uint8Array {
  const w = protobuf.Writer.create();
  if (stat === null) return w.finish();
  w.uint32(18).fork();
  if (stat.path) w.uint32(10).string(stat.path);
  if (stat.mode) w.uint32(16).uint32(stat.mode);
  if (stat.uid) w.uint32(24).uint32(stat.uid);
  if (stat.gid) w.uint32(32).uint32(stat.gid);
  if (stat.size) w.uint32(40).int64(int64(BigInt(stat.size)) as unknown as number);
  if (stat.modTime) w.uint32(48).int64(int64(stat.modTime) as unknown as number);
  if (stat.linkname) w.uint32(58).string(stat.linkname);
  if (stat.devmajor) w.uint32(64).int64(stat.devmajor);
  if (stat.devminor) w.uint32(72).int64(stat.devminor);
  return w.ldelim().finish();
}

/** A DATA packet: a chunk of file `id`, or its end when `data` is empty. */
export function encodeData(id: number, data: Uint8Array): Uint8Array {
  const w = protobuf.Writer.create().uint32(8).uint32(PACKET.DATA);
  if (id) w.uint32(24).uint32(id);
  if (data.length) w.uint32(34).bytes(data);
  return w.finish();
}

export function encodeSimple(type: (typeof PACKET)['FIN' | 'ERR'], message = ''): Uint8Array {
  const w = protobuf.Writer.create().uint32(8).uint32(type);
  if (message) w.uint32(34).bytes(Buffer.from(message, 'utf8'));
  return w.finish();
}

/** What the receiver sends: REQ (with the file's id), FIN, or ERR (with a message). */
export function decodePacket(buf: Uint8Array): { type: number; id: number; data: Buffer } {
  const r = protobuf.Reader.create(buf);
  let type = 0;
  let id = 0;
  let data = Buffer.alloc(0);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) type = r.int32();
    else if (tag >>> 3 === 3) id = r.uint32();
    else if (tag >>> 3 === 4) data = Buffer.from(r.bytes());
    else r.skipType(tag & 7);
  }
  return { type, id, data };
}
