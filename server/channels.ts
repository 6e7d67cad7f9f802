// The Socket.IO rooms a socket joins: named here, apart from the context, so the parts that only emit
// (broadcaster, presence, handlers) need nothing else of the server to name them.

/** The Socket.IO room every socket of a debate room is in. */
export const roomChannel = (roomId: string) => `room:${roomId}`;
/** The Socket.IO room of the sockets of a room's host and moderators: they get unredacted frames. */
export const modsChannel = (roomId: string) => `mods:${roomId}`;
/** The Socket.IO room of one member's sockets (all tabs and devices). */
export const memberChannel = (roomId: string, memberId: string) => `member:${roomId}:${memberId}`;
/** The Socket.IO room of every socket of one server node: broadcasts to the other nodes skip it (broadcaster.ts). */
export const nodeChannel = (nodeId: string) => `node:${nodeId}`;
