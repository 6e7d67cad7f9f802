import { AppError } from '../../shared/errors.js';
import type { Joined, RoomCreated } from '../../shared/events.js';
import { RoomCreateInput, RoomJoinInput } from '../../shared/schemas/room.js';
import { isModerator } from '../../shared/permissions.js';
import { namesClash } from '../../shared/names.js';
import { joinPaused } from '../../shared/conduct.js';
import type { AppContext } from '../context.js';
import type { AppSocket } from '../sockets.js';
import { memberChannel, modsChannel, roomChannel } from '../channels.js';
import { addressKeyFor, memberIdFor, newRoomId, newToken } from '../identity.js';
import type { Router, SocketMeter } from '../router.js';
import { spendNewIdentity } from './identities.js';
import { roomOrNotFound } from './session.js';
import { catchUp } from './room-read.js';

/** Opening a room and joining it. */
export function bindRoomHandlers(ctx: AppContext, router: Router): void {
  // Opening a room and joining one are budgeted per address too: each costs storage or a snapshot.
  const roomBudget: SocketMeter = async (socket) => {
    await ctx.meter(socket);
    await ctx.perAddress.rooms.consume(socket.data.address);
  };
  router.on('room:create', RoomCreateInput, (input) => createRoom(ctx, input), { meter: roomBudget });
  router.on('room:join', RoomJoinInput, (input, socket) => joinRoom(ctx, socket, input), { meter: (socket) => ctx.perAddress.joins.consume(socket.data.address) });
}

async function createRoom(ctx: AppContext, input: { title: string; motion?: string }): Promise<RoomCreated> {
  const hostToken = newToken();
  // A fresh id collides with an existing room practically never; if it does, draw again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const roomId = newRoomId();
    const { event } = await ctx.log.append(roomId, (state) => {
      if (state) return null;
      const hostId = memberIdFor(roomId, hostToken);
      return {
        type: 'room.opened',
        actorId: hostId,
        room: { id: roomId, title: input.title, motion: input.motion ?? '', hostId, createdAt: ctx.now() },
      };
    });
    if (event) return { roomId, hostToken };
  }
  throw new AppError('UNAVAILABLE', 'Could not open a room; try again.');
}

async function joinRoom(
  ctx: AppContext,
  socket: AppSocket,
  input: { roomId: string; role: 'participant' | 'viewer'; name?: string; token?: string; since?: number },
): Promise<Joined> {
  let state = roomOrNotFound(await ctx.store.load(input.roomId));
  const token = input.token ?? newToken();
  const memberId = memberIdFor(input.roomId, token);
  const addressKey = addressKeyFor(input.roomId, socket.data.address);
  // A token that already belongs to a member is that member, whatever role was asked for.
  let member = state.members[memberId];
  if (member?.banned) throw new AppError('FORBIDDEN', 'You were banned from this room.');
  if (!member && input.role === 'participant') {
    const name = input.name;
    if (!name) throw new AppError('INVALID_PAYLOAD', 'Choose a display name to take part.', [{ path: 'name', message: 'Required to take part.' }]);
    await spendNewIdentity(ctx, socket, state, memberId);
    const { state: after } = await ctx.log.append(input.roomId, (latest) => {
      const room = roomOrNotFound(latest);
      if (room.members[memberId]) return null;
      const paused = joinPaused(room);
      if (paused) throw new AppError('ROOM_LOCKED', paused);
      if (Object.values(room.members).some((other) => namesClash(other.name, name))) {
        throw new AppError('NAME_TAKEN', `“${name}” is taken in this room; choose another name.`, [{ path: 'name', message: 'Taken in this room.' }]);
      }
      return { type: 'member.joined', actorId: memberId, name, role: memberId === room.room.hostId ? 'host' : 'participant', addressKey };
    });
    state = roomOrNotFound(after);
    member = state.members[memberId];
  }

  const previous = socket.data.session;
  if (previous) {
    for (const channel of [roomChannel(previous.roomId), modsChannel(previous.roomId), memberChannel(previous.roomId, previous.memberId)]) {
      await socket.leave(channel);
    }
    ctx.presence.touch(previous.roomId);
  }
  socket.data.session = { roomId: input.roomId, memberId, joinedAs: member ? 'participant' : 'viewer', addressKey };
  const moderator = !!member && isModerator(member);
  // Only members need their own channel (bans, role changes): viewers stay in one room, which keeps an idle viewer small.
  const channels = [roomChannel(input.roomId)];
  if (member) channels.push(memberChannel(input.roomId, memberId));
  if (moderator) channels.push(modsChannel(input.roomId));
  await socket.join(channels);
  ctx.presence.touch(input.roomId);
  // Who is here, as last counted, at once: the recount that includes me comes within a presence interval.
  const present = ctx.presence.lastKnown(input.roomId);
  if (present) socket.emit('room:presence', present);
  // Snapshot after joining the channel: nothing logged in between can fall through the crack
  // (the client drops events its snapshot already holds). The epoch before the state it labels (see RoomStore.epoch).
  const epoch = await ctx.store.epoch(input.roomId);
  state = roomOrNotFound(await ctx.store.load(input.roomId));
  // A ban logged since the check above missed this socket (it was not in the member's channel yet):
  // it must not stay, online and following the room.
  if (member && state.members[memberId]?.banned) {
    socket.data.session = undefined;
    for (const channel of channels) await socket.leave(channel);
    ctx.presence.touch(input.roomId);
    throw new AppError('FORBIDDEN', 'You were banned from this room.');
  }

  return {
    start: await catchUp(ctx, socket, memberId, state, moderator ? 'moderators' : 'public', epoch, input.since),
    me: member ? { id: memberId, role: member.role, name: member.name } : { id: memberId, role: 'viewer', name: null },
    token,
  };
}
