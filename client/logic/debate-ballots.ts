import type { Side, VoteKind } from '../../shared/room-events.js';
import type { Vote } from '../../shared/room-state.js';
import type { MyBallot, MyBallots } from '../../shared/schemas/debate.js';

/**
 * My own ballots as the server told them to me (`vote:mine`, then `room:myBallot` pushes), each
 * with the room seq it is as of. An answer read just before a ballot from my other tab may arrive
 * after that ballot's push: the newer seq wins, so the page never steps back to an older choice.
 */
export type KnownBallots = Partial<Record<VoteKind, { choice: Side; seq: number }>>;

export function withBallot(known: KnownBallots, ballot: MyBallot): KnownBallots {
  const current = known[ballot.vote];
  if (current && current.seq > ballot.seq) return known;
  return { ...known, [ballot.vote]: { choice: ballot.choice, seq: ballot.seq } };
}

export function withAnswer(known: KnownBallots, answer: MyBallots): KnownBallots {
  let next = known;
  for (const [vote, choice] of Object.entries(answer.ballots) as [VoteKind, Side][]) next = withBallot(next, { vote, choice, seq: answer.seq });
  return next;
}

/**
 * My ballot in a vote: the room's copy where this audience can see it, else what the server told
 * me (a hidden vote sends everyone's ballots, mine included, as '', before and after it closes).
 */
export function ballotOf(vote: Vote | undefined, memberId: string | null, known: KnownBallots): Side | null {
  if (!vote || !memberId) return null;
  return vote.ballots[memberId] || known[vote.kind]?.choice || null;
}

/** Whether the room's copy keeps any ballots from me: only then is there anything to ask for. */
export const hasHiddenVote = (votes: Partial<Record<VoteKind, Vote>>): boolean => Object.values(votes).some((vote) => vote?.hideResults);
