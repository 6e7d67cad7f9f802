import type { EventDraft, MemberRole, RoomEvent } from '../../shared/room-events.js';
import { applyEvent, foldEvents, type Member, type Post, type RoomState } from '../../shared/room-state.js';

/** A fixed start of time, so tests never read the wall clock. */
export const T0 = Date.UTC(2025, 0, 6, 12, 0, 0);

/**
 * Builds a room the way the server does: by folding real events through applyEvent, one seq at a time.
 * Every event it made is kept in `events`, so a test can fold the same log again (or a redacted copy).
 */
export class RoomBuilder {
  readonly events: RoomEvent[] = [];
  state: RoomState;
  /** The time the next event is stamped with unless it says otherwise; each event moves it on by a second. */
  clock = T0;

  constructor(readonly hostId = 'host', readonly roomId = 'room-0001') {
    this.state = applyEvent(null, this.stamp({
      type: 'room.opened',
      actorId: hostId,
      room: { id: roomId, title: 'Motion', motion: 'This house believes tests matter', hostId, createdAt: T0 },
    }));
    this.join(hostId, 'host');
  }

  /** Stamp a draft with the next seq and the clock, fold it in, and return the logged event. */
  add(draft: EventDraft): RoomEvent {
    const event = this.stamp(draft);
    this.state = applyEvent(this.state, event);
    return event;
  }

  join(id: string, role: MemberRole = 'participant', name = id): Member {
    this.add({ type: 'member.joined', actorId: id, name, role });
    return this.member(id);
  }

  /** A participant the host then promoted, as it happens in a real room. */
  moderator(id: string): Member {
    this.join(id);
    this.add({ type: 'member.promoted', actorId: this.hostId, memberId: id });
    return this.member(id);
  }

  post(id: string, authorId: string, options: { parentId?: string | null; body?: string; at?: number } = {}): Post {
    this.add({ type: 'post.created', actorId: authorId, postId: id, parentId: options.parentId ?? null, body: options.body ?? `body of ${id}`, at: options.at });
    return this.postOf(id);
  }

  member(id: string): Member {
    const member = this.state.members[id];
    if (!member) throw new Error(`no member ${id}`);
    return member;
  }

  postOf(id: string): Post {
    const post = this.state.posts[id];
    if (!post) throw new Error(`no post ${id}`);
    return post;
  }

  /** The same log folded again from scratch (optionally transformed), independent of `state`. */
  refold(transform: (event: RoomEvent) => RoomEvent = (event) => event): RoomState {
    return foldEvents(this.events.map((event) => transform(structuredClone(event))))!;
  }

  private stamp(draft: EventDraft): RoomEvent {
    const at = draft.at ?? this.clock;
    this.clock = Math.max(this.clock, at) + 1_000;
    const event = { ...draft, seq: this.events.length + 1, at } as RoomEvent;
    // The log keeps its own copy: applyEvent and tests must not be able to change what was logged.
    this.events.push(structuredClone(event));
    return event;
  }
}
