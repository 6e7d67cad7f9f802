import type { AckCallback } from './ack.js';
import type { MemberRole, RoomEvent } from './room-events.js';
import type { RoomState } from './room-state.js';
import type { Presence } from './schemas/presence.js';
import type { RoomCreateInput, RoomJoinInput, RoomPostsInput, RoomSyncInput } from './schemas/room.js';
import type { HistoryPage, RoomHistoryInput } from './schemas/export.js';
import type { PostCreateInput, PostDeleteInput, PostEditInput } from './schemas/post.js';
import type { ReactionSetInput } from './schemas/reaction.js';
import type {
  DismissReportsInput,
  HandInput,
  ModerateMemberInput,
  ModeratePostInput,
  ModerateRoomInput,
  ReportCreateInput,
  ReviewHeldInput,
} from './schemas/moderation.js';
import type {
  MindChangedInput,
  MyBallot,
  MyBallots,
  PhaseSetInput,
  SideSetInput,
  TypingInput,
  VoteCastInput,
  VoteManageInput,
  VoteMineInput,
} from './schemas/debate.js';
import type { AppealCreateInput, AppealDecideInput, ConductMemberInput, GuardInput, MyStanding, ReviewingInput, ReviewingSignal, StandingInput } from './schemas/conduct.js';
import type { SourceRequestInput, SteelmanConfirmInput } from './schemas/common-ground.js';

export interface RoomCreated {
  roomId: string;
  /** The host's identity token: joining with it makes you the host. Keep it secret. */
  hostToken: string;
}

export interface Me {
  /** null for a viewer who has no identity yet. */
  id: string | null;
  role: MemberRole | 'viewer';
  name: string | null;
}

/**
 * What a read answers with as it travels: UTF-8 JSON sent as a binary attachment. The server encodes each
 * answer once per room, audience and seq (and range, or page) and hands every asker the same bytes (no
 * per-request serialising); shared/snapshot-codec.ts reads them. Node clients get a Buffer, browsers an
 * ArrayBuffer.
 */
export type Encoded = ArrayBuffer | Uint8Array;
/** The JSON of a `SnapshotBody`. */
export type EncodedSnapshot = Encoded;
/** The JSON of the `RoomEvent[]` after the seq asked from, redacted for the asker. */
export type EncodedEvents = Encoded;
/** The JSON of a `ThreadPage`. */
export type EncodedPage = Encoded;

export interface SnapshotBody {
  /** The room with its newest threads (and pinned ones); older threads come with `room:posts`. */
  snapshot: RoomState;
  more: boolean;
}

/**
 * Names the history a room's seqs count in. It changes only when that history was lost (a store restored
 * from an older copy): a client that sees a new one takes a fresh snapshot instead of trusting its seqs.
 * Absent from servers that predate epochs (and from scripted test servers).
 */
export type Epoch = string;

/** Where to start from: the events after the seq the client asked from, or a snapshot when the log no longer reaches back (or they would be too many bytes); labelled with the epoch. */
export type CatchUp = ({ kind: 'events'; encoded: EncodedEvents } | { kind: 'snapshot'; encoded: EncodedSnapshot }) & { epoch?: Epoch };

/** A page of older threads, or one whole thread (see shared/post-window.ts `ThreadPage`). */
export interface PostsPage {
  encoded: EncodedPage;
}

export interface Joined {
  /** A snapshot, or (a returning client that sent `since`) just the events it missed. */
  start: CatchUp;
  me: Me;
  /** The token to present next time to be the same member. */
  token: string;
}

export type SyncResult = CatchUp;

export interface Written {
  seq: number;
  /** Automod held the post for a moderator to review; it is not in the thread yet. */
  held?: boolean;
}

/** Every client event: one payload object and an ack. */
export interface ClientToServerEvents {
  'room:create': (input: RoomCreateInput, ack: AckCallback<RoomCreated>) => void;
  'room:join': (input: RoomJoinInput, ack: AckCallback<Joined>) => void;
  'room:sync': (input: RoomSyncInput, ack: AckCallback<SyncResult>) => void;
  /** Older threads (`before` a root's createdAt), or the whole thread of one post (for a permalink). */
  'room:posts': (input: RoomPostsInput, ack: AckCallback<PostsPage>) => void;
  /** The room's log for replay, redacted for me, a bounded page of events after `from` at a time. */
  'room:history': (input: RoomHistoryInput, ack: AckCallback<HistoryPage>) => void;
  'post:create': (input: PostCreateInput, ack: AckCallback<Written>) => void;
  'post:edit': (input: PostEditInput, ack: AckCallback<Written>) => void;
  'post:delete': (input: PostDeleteInput, ack: AckCallback<Written>) => void;
  'reaction:set': (input: ReactionSetInput, ack: AckCallback<Written>) => void;
  'report:create': (input: ReportCreateInput, ack: AckCallback<Written>) => void;
  'hand:set': (input: HandInput, ack: AckCallback<Written>) => void;
  'mod:post': (input: ModeratePostInput, ack: AckCallback<Written>) => void;
  'mod:held': (input: ReviewHeldInput, ack: AckCallback<Written>) => void;
  'mod:reports': (input: DismissReportsInput, ack: AckCallback<Written>) => void;
  'mod:member': (input: ModerateMemberInput, ack: AckCallback<Written>) => void;
  'mod:room': (input: ModerateRoomInput, ack: AckCallback<Written>) => void;
  'side:set': (input: SideSetInput, ack: AckCallback<Written>) => void;
  'vote:manage': (input: VoteManageInput, ack: AckCallback<Written>) => void;
  'vote:cast': (input: VoteCastInput, ack: AckCallback<Written>) => void;
  /** My own ballots in this room (a hidden vote shows them to nobody else); later ones come as `room:myBallot`. */
  'vote:mine': (input: VoteMineInput, ack: AckCallback<MyBallots>) => void;
  'mind:changed': (input: MindChangedInput, ack: AckCallback<Written>) => void;
  'phase:set': (input: PhaseSetInput, ack: AckCallback<Written>) => void;
  /** Common ground: "source requested" on a claim, and "yes, that's my view" on a steelman. */
  'source:request': (input: SourceRequestInput, ack: AckCallback<Written>) => void;
  'steelman:confirm': (input: SteelmanConfirmInput, ack: AckCallback<Written>) => void;
  /** Ephemeral: never logged. */
  'typing:set': (input: TypingInput, ack: AckCallback<null>) => void;
  // Moderation in depth (shared/conduct.ts)
  'mod:conduct': (input: ConductMemberInput, ack: AckCallback<Written>) => void;
  'mod:appeal': (input: AppealDecideInput, ack: AckCallback<Written>) => void;
  'mod:guard': (input: GuardInput, ack: AckCallback<Written>) => void;
  /** A muted or banned person appeals (a banned one, not joined, names the room and their token). */
  'appeal:create': (input: AppealCreateInput, ack: AckCallback<Written>) => void;
  /** My own standing: my removed and held texts, my reports' outcomes, my appeals. For me only. */
  'room:standing': (input: StandingInput, ack: AckCallback<MyStanding>) => void;
  /** Ephemeral, to moderators only: what I have open in the queue ("Mo is reviewing"). */
  'mod:reviewing': (input: ReviewingInput, ack: AckCallback<null>) => void;
}

/** Someone started or stopped typing: broadcast, never logged. Clients forget it after limits.typingTtlMs. */
export interface TypingSignal {
  memberId: string;
  /** The post they are replying to; null for a top-level post. */
  parentId: string | null;
  typing: boolean;
}

export interface SessionEnded {
  reason: 'banned';
  message: string;
}

export interface ServerToClientEvents {
  /**
   * Logged events in seq order; several are coalesced into one frame when they arrive together. The epoch
   * they belong to comes beside them; an empty frame announces a new epoch (the room's history was lost).
   */
  'room:events': (events: RoomEvent[], epoch?: Epoch) => void;
  'room:presence': (presence: Presence) => void;
  'room:typing': (typing: TypingSignal) => void;
  /** A ballot I cast from any of my tabs or devices, in a hidden vote: sent to my sockets only. */
  'room:myBallot': (ballot: MyBallot) => void;
  /** A moderator's queue item in view (moderators only; ephemeral). */
  'room:reviewing': (signal: ReviewingSignal) => void;
  /** This person was banned: their sockets are closed right after this. */
  'session:ended': (ended: SessionEnded) => void;
  /** This person's role changed: join again for a snapshot with what the new role may read. */
  'session:refresh': () => void;
}

export type ClientEventName = keyof ClientToServerEvents;
