import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { mostPersuasive, swingOf, tallyOf, type Tally } from '../../shared/debate.js';
import type { Phase, Side, VoteKind } from '../../shared/room-events.js';
import type { VoteManageInput } from '../../shared/schemas/debate.js';
import { commonGround } from '../../shared/common-ground.js';
import { creditByAuthor, creditByPost, hasMoved, mindsMoved, type Credit } from '../../shared/persuasion.js';
import { requester, useSocket } from '../socket.js';
import { ballotOf, hasHiddenVote, withAnswer, withBallot, type KnownBallots } from '../logic/debate-ballots.js';
import { useRoomStore } from './room.js';
import { useSessionStore } from './session.js';

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
  const socket = useSocket();
  const request = requester(socket);

  const meId = computed(() => session.me?.id ?? null);
  const votes = computed(() => room.state?.votes ?? {});

  /** My ballots as the server knows them, in every browser I am signed in from (see debate-ballots.ts). */
  const known = ref<KnownBallots>({});
  watch([() => room.roomId, meId], () => (known.value = {}));
  async function askMine(): Promise<void> {
    const roomId = room.roomId;
    try {
      const answer = await request('vote:mine', {});
      if (room.roomId === roomId) known.value = withAnswer(known.value, answer);
    } catch (error) {
      console.warn('vote:mine failed; the next join asks again', error);
    }
  }
  // Asked on every join (session.me is a new object each time: a new connection, another identity)
  // and when a hidden vote opens. Asking also subscribes this socket to pushes of my later ballots.
  watch(
    [() => session.me, () => hasHiddenVote(votes.value)],
    ([me, hidden]) => {
      if (me?.id && hidden && room.roomId) void askMine();
    },
    { immediate: true },
  );
  socket.on('room:myBallot', (ballot) => {
    if (room.roomId) known.value = withBallot(known.value, ballot);
  });

  const phase = computed(() => room.state?.phase ?? { phase: null, endsAt: null, since: 0 });
  const myBallot = (kind: VoteKind) => ballotOf(votes.value[kind], meId.value, known.value);
  const tally = (kind: VoteKind): Tally | null => tallyOf(votes.value[kind]);
  const swing = computed(() => (room.state ? swingOf(room.state) : null));
  // Live, a change of declared side is a change of mind too (shared/persuasion.ts).
  const canChangeMind = computed(() => mindChanged(myBallot('initial'), myBallot('final')) || (!!meId.value && !!room.state && hasMoved(room.state, meId.value)));
  /** The post I said changed my mind. */
  const myMindChange = computed(() => (meId.value ? (room.state?.mindChanges[meId.value] ?? null) : null));
  const persuasive = computed(() => (room.state ? mostPersuasive(room.state, 5) : []));

  // Common ground and persuasion: all derived from the room's state, so live, replayed and exported alike.
  const ground = computed(() => (room.state ? commonGround(room.state, 5) : []));
  const moved = computed(() => (room.state ? mindsMoved(room.state) : { moves: [], flow: new Map<string, number>() }));
  const credit = computed(() => (room.state ? creditByPost(room.state) : new Map<string, Credit>()));
  const authorCredit = computed(() => (room.state ? creditByAuthor(room.state, credit.value) : new Map<string, number>()));


  async function castVote(kind: VoteKind, choice: Side): Promise<void> {
    const { seq } = await room.write('vote:cast', { vote: kind, choice });
    known.value = withBallot(known.value, { vote: kind, choice, seq });
  }

  // Every debate write goes the room's one way out (writer.ts): ack, tail check, one Refusal type.
  return {
    votes, phase, swing, canChangeMind, myMindChange, persuasive, myBallot, tally, castVote, ground, moved, credit, authorCredit,
    requestSource: (postId: string) => room.write('source:request', { postId }),
    confirmSteelman: (postId: string) => room.write('steelman:confirm', { postId }),
    setSteelman: (on: boolean) => room.write('mod:room', { action: 'settings', settings: { steelman: on } }),
    setSide: (side: Side) => room.write('side:set', { side }),
    manageVote: (input: VoteManageInput) => room.write('vote:manage', input),
    setPhase: (next: Phase, minutes: number | null) => room.write('phase:set', { phase: next, minutes }),
    changedMyMind: (postId: string) => room.write('mind:changed', { postId }),
  };
});
