import { AppError } from '../../shared/errors.js';
import { isMuted } from '../../shared/permissions.js';
import type { EventDraft, RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { HandInput, ModerateMemberInput } from '../../shared/schemas/moderation.js';
import type { AppContext } from '../context.js';
import { memberChannel, modsChannel } from '../channels.js';
import type { Router } from '../router.js';
import { authorize, memberOrNotFound, sessionOf } from './session.js';
import { onWrite, type Acting } from './write.js';

/** Acting on people: mute, ban, promote, speakers; and raising one's own hand. */
export function bindMemberModerationHandlers(ctx: AppContext, router: Router): void {
  onWrite(ctx, router, 'mod:member', ModerateMemberInput, (input, state, acting, liveAddresses: string[]) => moderateMember(state, acting, input, liveAddresses), {
    // The networks a ban covers: where they joined from (in the log) and where their sockets are now, on any node.
    before: async (input, socket) => (input.action === 'ban' && input.coverNetwork ? addressKeysOf(ctx, sessionOf(socket).roomId, input.memberId) : []),
    after: ({ event, session }) => {
      if (event) followUp(ctx, session.roomId, event);
    },
  });

  onWrite(ctx, router, 'hand:set', HandInput, (input, state, { memberId, now }) => {
      const me = memberOrNotFound(state, memberId);
      authorize(state, memberId, input.raised ? 'hand.raise' : 'hand.lower', undefined, now);
      if (me.handRaised === input.raised) return null;
      return { type: input.raised ? 'hand.raised' : 'hand.lowered', actorId: memberId };
  });
}

/** What a logged change to someone means for their sockets, wherever they are. */
function followUp(ctx: AppContext, roomId: string, event: RoomEvent): void {
  if (event.type === 'member.banned') {
    // Every socket of that person, on every node, at once.
    const theirs = ctx.io.in(memberChannel(roomId, event.memberId));
    theirs.emit('session:ended', { reason: 'banned', message: `You were banned from this room${event.reason ? `: ${event.reason}` : '.'}` });
    theirs.disconnectSockets(true);
  }
  if (event.type === 'member.promoted' || event.type === 'member.demoted') {
    // Their view changes (moderators read more), so their sockets move channel and fetch a new snapshot.
    const theirs = ctx.io.in(memberChannel(roomId, event.memberId));
    if (event.type === 'member.promoted') theirs.socketsJoin(modsChannel(roomId));
    else theirs.socketsLeave(modsChannel(roomId));
    theirs.emit('session:refresh');
  }
}

async function addressKeysOf(ctx: AppContext, roomId: string, memberId: string): Promise<string[]> {
  const sockets = await ctx.io.in(memberChannel(roomId, memberId)).fetchSockets();
  return sockets.map((socket) => socket.data.session?.addressKey).filter((key): key is string => !!key);
}

function moderateMember(state: RoomState, { memberId, now }: Acting, input: ReturnType<typeof ModerateMemberInput.parse>, liveAddresses: string[]): EventDraft | null {
  const target = memberOrNotFound(state, input.memberId);
  const base = { actorId: memberId, memberId: target.id };
  switch (input.action) {
    case 'mute':
      authorize(state, memberId, 'member.mute', target, now);
      return { type: 'member.muted', ...base, until: now + input.minutes * 60_000, reason: input.reason };
    case 'unmute':
      authorize(state, memberId, 'member.mute', target, now);
      return isMuted(target, now) ? { type: 'member.unmuted', ...base } : null;
    case 'ban':
      authorize(state, memberId, 'member.ban', target, now);
      if (target.banned) return null;
      return {
        type: 'member.banned',
        ...base,
        reason: input.reason,
        removePosts: input.removePosts,
        ...(input.coverNetwork ? { addressKeys: [...new Set([...(state.network?.ofMember[target.id] ?? []), ...liveAddresses])] } : {}),
      };
    case 'unban':
      authorize(state, memberId, 'member.ban', target, now);
      return target.banned ? { type: 'member.unbanned', ...base } : null;
    case 'promote':
      authorize(state, memberId, 'member.promote', target, now);
      if (target.banned) throw new AppError('FORBIDDEN', 'Unban them first.');
      return target.role === 'participant' ? { type: 'member.promoted', ...base } : null;
    case 'demote':
      authorize(state, memberId, 'member.promote', target, now);
      return target.role === 'moderator' ? { type: 'member.demoted', ...base } : null;
    case 'approveSpeaker':
    case 'denySpeaker':
      authorize(state, memberId, 'hand.resolve', target, now);
      if (!target.handRaised && !(input.action === 'approveSpeaker' && !target.speaker)) return null;
      return { type: 'hand.resolved', ...base, approved: input.action === 'approveSpeaker' };
    case 'revokeSpeaker':
      authorize(state, memberId, 'hand.resolve', target, now);
      return target.speaker ? { type: 'speaker.revoked', ...base } : null;
  }
}
