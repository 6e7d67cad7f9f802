import type { Encoded, EncodedEvents, EncodedPage, EncodedSnapshot, SnapshotBody } from './events.js';
import type { ThreadPage } from './post-window.js';
import type { RoomEvent } from './room-events.js';

/**
 * A read's answer is serialised once and sent as bytes to every asker: serialising a room window (or a
 * megabyte of events) per request, and Socket.IO walking it for binaries, was most of a read's cost.
 */
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const decode = <T>(bytes: Encoded): T => JSON.parse(new TextDecoder().decode(bytes)) as T;

export const encodeSnapshot = (body: SnapshotBody): Uint8Array => encode(body);
export const decodeSnapshot = (bytes: EncodedSnapshot): SnapshotBody => decode(bytes);

export const encodeEvents = (events: RoomEvent[]): Uint8Array => encode(events);
export const decodeEvents = (bytes: EncodedEvents): RoomEvent[] => decode(bytes);

export const encodePage = (page: ThreadPage): Uint8Array => encode(page);
export const decodePage = (bytes: EncodedPage): ThreadPage => decode(bytes);
