import { mkdtempSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberIdFor } from '../../server/identity.js';
import { corpusLines } from './corpus.js';

const MEMBERS_PER_ROOM = 20;
const FLUSH_BYTES = 8 << 20;

export interface GeneratedLog {
  dataDir: string;
  roomIds: string[];
  /** Every room's host token (the host can write as soon as the server is up). */
  hostToken: string;
  events: number;
  bytes: number;
}

/**
 * A data directory with a `rooms.log` of `events` events spread evenly over `rooms` rooms, written the
 * way the embedded store writes it (`[roomId, event]` lines), so a bench can start a server on a long
 * history without spending minutes writing it through sockets. Each room: its opening, members joining,
 * then posts from the corpus in threads of five (a root, four replies) with a reaction every tenth.
 */
export function generateLog(opts: { rooms: number; events: number; prefix?: string }): GeneratedLog {
  const dataDir = mkdtempSync(join(tmpdir(), 'debate-history-'));
  const file = openSync(join(dataDir, 'rooms.log'), 'w');
  const bodies = corpusLines();
  const hostToken = 'bench-history-host-token';
  const roomIds = Array.from({ length: opts.rooms }, (_, i) => `${opts.prefix ?? 'hist'}${String(i).padStart(6, '0')}`);
  const perRoom = Math.max(1 + MEMBERS_PER_ROOM, Math.floor(opts.events / opts.rooms));
  let pending: string[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let events = 0;
  const at0 = Date.UTC(2026, 0, 1);
  const flush = () => {
    const chunk = Buffer.from(pending.join(''));
    writeSync(file, chunk);
    bytes += chunk.length;
    pending = [];
    pendingBytes = 0;
  };
  // Rooms advance together (round robin), as live rooms do: a room's lines are spread over the whole log.
  for (let seq = 1; seq <= perRoom; seq++) {
    for (const roomId of roomIds) {
      const hostId = memberIdFor(roomId, hostToken);
      const at = at0 + seq * 1_000;
      let event: Record<string, unknown>;
      if (seq === 1) event = { type: 'room.opened', actorId: hostId, room: { id: roomId, title: `History ${roomId}`, motion: 'This house would keep every word', hostId, createdAt: at } };
      else if (seq <= 1 + MEMBERS_PER_ROOM) event = { type: 'member.joined', actorId: `${roomId}-m${seq}`, name: `Member ${seq}`, role: 'participant' };
      else {
        const n = seq - 2 - MEMBERS_PER_ROOM;
        const actorId = `${roomId}-m${2 + (n % MEMBERS_PER_ROOM)}`;
        const postId = `p${n}`;
        if (n % 10 === 9) event = { type: 'reaction.added', actorId, postId: `p${n - 1}`, emoji: '🔥' };
        else event = { type: 'post.created', actorId, postId, parentId: n % 5 === 0 ? null : `p${n - (n % 5)}`, body: bodies[(n + seq) % bodies.length]! };
      }
      const line = `${JSON.stringify([roomId, { ...event, seq, at }])}\n`;
      pending.push(line);
      pendingBytes += line.length;
      events++;
      if (pendingBytes >= FLUSH_BYTES) flush();
    }
  }
  flush();
  closeSync(file);
  return { dataDir, roomIds, hostToken, events, bytes };
}

/** One room of `posts` posts (and the members and reactions around them), for joins into a big room. */
export function generateBigRoom(posts: number): GeneratedLog {
  // Nine posts in ten events (every tenth a reaction), after the opening and the members.
  return generateLog({ rooms: 1, events: 1 + MEMBERS_PER_ROOM + Math.ceil((posts * 10) / 9), prefix: 'bigroom' });
}
