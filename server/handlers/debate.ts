import { AppError } from '../../shared/errors.js';
import { changedMind, pairedTallies, type Tally } from '../../shared/debate.js';
import { MindChangedInput, PhaseSetInput, SideSetInput, VoteCastInput, VoteManageInput } from '../../shared/schemas/debate.js';
import type { EventDraft } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import type { Router } from '../router.js';
import type { AppContext } from '../context.js';
import { tellVoter } from './ballots.js';
import { hasMoved } from '../../shared/persuasion.js';
import { spendIfNewToRoom } from './identities.js';
import { newFromBannedNetwork } from '../../shared/network.js';
import { authorize, memberOrNotFound, postOrNotFound } from './session.js';
import { onWrite, type Acting } from './write.js';

/** Sides on the motion, the audience votes, "this changed my mind", and the debate's phases. */
export function bindDebateHandlers(ctx: AppContext, router: Router): void {
  onWrite(ctx, router, 'side:set', SideSetInput, (input, state, { memberId, now }) => {
      const me = memberOrNotFound(state, memberId);
      authorize(state, memberId, 'side.set', undefined, now);
      return me.side === input.side ? null : { type: 'member.side', actorId: memberId, side: input.side };
  });

  onWrite(ctx, router, 'vote:manage', VoteManageInput, (input, state, { memberId, now }) => {
      authorize(state, memberId, 'vote.manage', undefined, now);
      const vote = state.votes[input.vote];
      if (input.action === 'open') {
        if (vote) return null;
        if (input.vote === 'final' && state.votes.initial?.open) throw new AppError('CONFLICT', 'Close the opening vote before opening the final one.');
        return { type: 'vote.opened', actorId: memberId, vote: input.vote, hideResults: input.hideResults };
      }
      if (!vote) throw new AppError('NOT_FOUND', 'That vote has not been opened.');
      if (!vote.open) return null;
      const tally: Tally = { for: 0, against: 0, undecided: 0 };
      for (const choice of Object.values(vote.ballots)) if (choice) tally[choice]++;
      // The swing compares the same people before and after: counted here, where every ballot is known.
      const paired = input.vote === 'final' && state.votes.initial ? pairedTallies(state.votes.initial, vote) : null;
      return { type: 'vote.closed', actorId: memberId, vote: input.vote, tally, ...(paired ? { paired } : {}) };
  });

  onWrite(ctx, router, 'vote:cast', VoteCastInput, (input, state, acting) => castBallot(state, acting, input), {
    before: (_input, socket) => spendIfNewToRoom(ctx, socket),
    // The room's log carries a hidden ballot as '', so my other tabs hear it from here instead.
    after: ({ event, state, session }) => {
      if (event?.type === 'vote.cast' && event.choice && state.votes[event.vote]?.hideResults) {
        tellVoter(ctx, session.roomId, event.actorId, { vote: event.vote, choice: event.choice, seq: event.seq });
      }
    },
  });

  onWrite(ctx, router, 'mind:changed', MindChangedInput, (input, state, { memberId, now }) => {
      const post = postOrNotFound(state, input.postId);
      authorize(state, memberId, 'mind.change', post, now);
      // Live, a change of declared side counts too (shared/persuasion.ts), not only the two votes.
      if (!changedMind(state, memberId) && !hasMoved(state, memberId)) {
        throw new AppError('FORBIDDEN', 'Only someone whose final vote differs from their first, or who now stands on another side, can say a post changed their mind.');
      }
      return state.mindChanges[memberId] === post.id ? null : { type: 'mind.changed', actorId: memberId, postId: post.id };
  });

  onWrite(ctx, router, 'phase:set', PhaseSetInput, (input, state, { memberId, now }) => {
      authorize(state, memberId, 'phase.set', undefined, now);
      const endsAt = input.minutes ? now + input.minutes * 60_000 : null;
      if (state.phase.phase === input.phase && state.phase.endsAt === endsAt) return null;
      return { type: 'phase.changed', actorId: memberId, phase: input.phase, endsAt };
  });
}

function castBallot(state: RoomState, { memberId, now, addressKey }: Acting, input: VoteCastInput): EventDraft | null {
  authorize(state, memberId, 'vote.cast', undefined, now);
  if (newFromBannedNetwork(state, addressKey, memberId)) throw new AppError('FORBIDDEN', 'A ban in this room covers your network; you cannot vote here.');
  const vote = state.votes[input.vote];
  if (!vote) throw new AppError('NOT_FOUND', 'That vote has not been opened yet.');
  if (!vote.open) throw new AppError('FORBIDDEN', 'That vote has closed.');
  // One ballot per person per vote; changing it while open replaces it.
  if (vote.ballots[memberId] === input.choice) return null;
  return { type: 'vote.cast', actorId: memberId, vote: input.vote, choice: input.choice };
}
