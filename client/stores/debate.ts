import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { mostPersuasive, swingOf, tallyOf, type Tally } from '../../shared/debate.js';
import type { Phase, Side, VoteKind } from '../../shared/room-events.js';
import type { Vote } from '../../shared/room-state.js';
import type { VoteManageInput } from '../../shared/schemas/debate.js';
import { requester, useSocket } from '../socket.js';
import { memoryKeys, recall, remember } from './debate-memory.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';

export type OwnBallots = Partial<Record<VoteKind, Side>>;

/** My ballots in a room, as this browser remembers them (per member, in case the identity changes). */
export function recallBallots(roomId: string, memberId: string): OwnBallots {
  return recall<Record<string, OwnBallots>>(memoryKeys.ballots(roomId))?.[memberId] ?? {};
}

export function rememberBallot(roomId: string, memberId: string, kind: VoteKind, choice: Side): OwnBallots {
  const all = recall<Record<string, OwnBallots>>(memoryKeys.ballots(roomId)) ?? {};
  all[memberId] = { ...all[memberId], [kind]: choice };
  remember(memoryKeys.ballots(roomId), all);
  return all[memberId];
}

/**
 * My ballot in a vote: the room's copy where this audience can see it, else what this browser
 * remembers (hidden votes send everyone's ballots, mine included, as '' until and after they close).
 */
export function ballotOf(vote: Vote | undefined, memberId: string | null, own: OwnBallots): Side | null {
  if (!vote || !memberId || !(memberId in vote.ballots)) return null;
  return vote.ballots[memberId] || own[vote.kind] || null;
}

/** Whether my final ballot differs from my first: who may say a post changed their mind. */
export function mindChanged(initial: Side | null, final: Side | null): boolean {
  return !!initial && !!final && initial !== final;
}

export const SIDE_LABELS: Record<Side, string> = { for: 'For', against: 'Against', undecided: 'Undecided' };
export const PHASE_LABELS: Record<Phase, string> = { opening: 'Opening', open: 'Open floor', closing: 'Closing', ended: 'Ended' };
export const PHASES: readonly Phase[] = ['opening', 'open', 'closing', 'ended'];

/** The debate around the thread: sides, the audience votes and their swing, minds changed, phases. */
export const useDebateStore = defineStore('debate', () => {
  const room = useRoomStore();
  const session = useSessionStore();
  const request = requester(useSocket());

  const meId = computed(() => session.me?.id ?? null);
  const own = ref<OwnBallots>({});
  watch(
    () => [room.roomId, meId.value] as const,
    ([roomId, id]) => (own.value = roomId && id ? recallBallots(roomId, id) : {}),
    { immediate: true },
  );

  const votes = computed(() => room.state?.votes ?? {});
  const phase = computed(() => room.state?.phase ?? { phase: null, endsAt: null, since: 0 });
  const myBallot = (kind: VoteKind) => ballotOf(votes.value[kind], meId.value, own.value);
  const tally = (kind: VoteKind): Tally | null => tallyOf(votes.value[kind]);
  const swing = computed(() => (room.state ? swingOf(room.state) : null));
  const canChangeMind = computed(() => mindChanged(myBallot('initial'), myBallot('final')));
  /** The post I said changed my mind. */
  const myMindChange = computed(() => (meId.value ? (room.state?.mindChanges[meId.value] ?? null) : null));
  const persuasive = computed(() => (room.state ? mostPersuasive(room.state, 5) : []));

  async function castVote(kind: VoteKind, choice: Side): Promise<void> {
    await request('vote:cast', { vote: kind, choice });
    if (room.roomId && meId.value) own.value = rememberBallot(room.roomId, meId.value, kind, choice);
  }

  return {
    votes, phase, swing, canChangeMind, myMindChange, persuasive, myBallot, tally, castVote,
    setSide: (side: Side) => request('side:set', { side }),
    manageVote: (input: VoteManageInput) => request('vote:manage', input),
    setPhase: (next: Phase, minutes: number | null) => request('phase:set', { phase: next, minutes }),
    changedMyMind: (postId: string) => request('mind:changed', { postId }),
  };
});
