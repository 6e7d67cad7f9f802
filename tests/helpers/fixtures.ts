import { nanoid } from 'nanoid';
import { connect, ok, type TestSocket } from './client.js';
import { opened } from './snapshot.js';

/** A room with its host joined and named. */
export async function openRoom(url: string, title = 'This house believes Stalin was a net good') {
  const host = await connect(url);
  const created = await ok(host, 'room:create', { title, motion: 'The motion under debate' });
  const joined = await ok(host, 'room:join', { roomId: created.roomId, role: 'participant', name: 'Host', token: created.hostToken });
  return { host, roomId: created.roomId, hostToken: created.hostToken, hostId: joined.me.id! };
}

export async function joinAs(url: string, roomId: string, name: string | null, token?: string) {
  const socket = await connect(url);
  const joined = opened(await ok(socket, 'room:join', name ? { roomId, role: 'participant', name, token } : { roomId, role: 'viewer', token }));
  return { socket, joined, id: joined.me.id!, token: joined.token };
}

export async function post(socket: TestSocket, body: string, parentId: string | null = null) {
  const id = nanoid();
  const written = await ok(socket, 'post:create', { id, parentId, body });
  return { id, seq: written.seq };
}
