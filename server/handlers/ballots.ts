import type { VoteKind } from '../../shared/room-events.js';
import { VoteMineInput, type MyBallot, type MyBallots } from '../../shared/schemas/debate.js';
import type { AppContext } from '../context.js';
import type { AppSocket } from '../sockets.js';
import { memberChannel } from '../channels.js';
import type { Router } from '../router.js';
import { roomOrNotFound, sessionOf } from './session.js';

/**
 * Each person's own ballots. A hidden vote goes out to the audience with every choice as '' (the
 * snapshots and frames are shared by the whole audience, so they cannot make an exception for
 * me); what I chose reaches only my own sockets, in every tab and on every device: an answer to
 * `vote:mine`, then a `room:myBallot` push for each ballot cast after it.
 */
export function bindBallotHandlers(ctx: AppContext, router: Router): void {
  router.on('vote:mine', VoteMineInput, (_input, socket) => myBallots(ctx, socket));
}

async function myBallots(ctx: AppContext, socket: AppSocket): Promise<MyBallots> {
  const { roomId, memberId } = sessionOf(socket);
  // Members are in their own channel from room:join; viewers (who vote too) are not, to keep an idle
  // viewer small, so they join it here, where it is wanted. Joined before reading: a ballot cast
  // from another tab after the read still arrives as a push. Joining another room leaves it.
  await socket.join(memberChannel(roomId, memberId));
  const state = roomOrNotFound(await ctx.store.load(roomId));
  const ballots: MyBallots['ballots'] = {};
  for (const kind of ['initial', 'final'] as VoteKind[]) {
    const choice = state.votes[kind]?.ballots[memberId];
    if (choice) ballots[kind] = choice;
  }
  return { seq: state.seq, ballots };
}

/** Tell all of the voter's sockets, on every node (through the adapter), what they just chose. */
export function tellVoter(ctx: AppContext, roomId: string, voterId: string, ballot: MyBallot): void {
  ctx.io.to(memberChannel(roomId, voterId)).emit('room:myBallot', ballot);
}
