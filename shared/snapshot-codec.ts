import type { EncodedSnapshot, SnapshotBody } from './events.js';

/**
 * A snapshot is serialised once and sent as bytes to every joiner: serialising a room window per joiner
 * (and Socket.IO walking it for binaries) was most of a join's cost.
 */
export function encodeSnapshot(body: SnapshotBody): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(body));
}

export function decodeSnapshot(bytes: EncodedSnapshot): SnapshotBody {
  return JSON.parse(new TextDecoder().decode(bytes)) as SnapshotBody;
}
