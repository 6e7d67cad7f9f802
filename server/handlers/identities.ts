import type { RoomState } from '../../shared/room-state.js';
import type { AppContext } from '../context.js';
import type { AppSocket } from '../sockets.js';
import { sessionOf } from './session.js';

/**
 * Whether the room already knows this identity: a member, a voter, a reporter or a source requester. Minting a token is
 * free, so an identity only costs something when it first counts in a room.
 */
function isKnownIdentity(state: RoomState, memberId: string): boolean {
  if (Object.hasOwn(state.members, memberId)) return true;
  for (const vote of Object.values(state.votes)) if (vote && Object.hasOwn(vote.ballots, memberId)) return true;
  if (Object.values(state.reports).some((report) => report.reporterId === memberId)) return true;
  // A viewer who asked for a source (shared/common-ground.ts); only names that are not members get this far.
  return state.postOrder.some((id) => state.posts[id].ground?.sourceAsks?.includes(memberId));
}

/**
 * An identity new to the room (a member joining, a viewer's first ballot or report) spends one of its
 * address's new identities: one network cannot become a crowd. Refuses with RATE_LIMITED.
 */
export async function spendNewIdentity(ctx: AppContext, socket: AppSocket, state: RoomState, memberId: string): Promise<void> {
  if (!isKnownIdentity(state, memberId)) await ctx.perAddress.newIdentities.consume(socket.data.address);
}

/** The same, for a socket already in a room (ballots and reports come from viewers too). */
export async function spendIfNewToRoom(ctx: AppContext, socket: AppSocket): Promise<void> {
  const { roomId, memberId } = sessionOf(socket);
  const state = await ctx.store.load(roomId);
  if (state) await spendNewIdentity(ctx, socket, state, memberId);
}
