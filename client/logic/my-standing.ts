import type { MyStanding } from '../../shared/schemas/conduct.js';
import type { HeldWhy, RoomEvent } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';

/**
 * Whether an event just applied may change my own standing (so it is read again): something done to my
 * post or to me, my own appeal, or a decision on a post I reported. `state` is the room after the event.
 */
export function concernsMe(event: RoomEvent, me: string, state: RoomState, standing: MyStanding | null, reportedHere: ReadonlySet<string> = new Set()): boolean {
  // The public does not learn who reported (report.filed reaches it without the reporter): the posts I
  // reported on this visit, and those my last standing lists, are how I know a decision is for me.
  const reported = (postId: string) => reportedHere.has(postId) || reportedBefore(standing, postId);
  switch (event.type) {
    case 'post.removed':
    case 'post.restored':
    case 'post.approved':
    case 'post.rejected':
    case 'report.dismissed':
      return state.posts[event.postId]?.authorId === me || !!standing?.held.some((held) => held.postId === event.postId) || reported(event.postId);
    case 'post.held':
    case 'appeal.filed':
    case 'report.filed':
      return event.actorId === me;
    case 'member.muted':
    case 'member.unmuted':
    case 'member.banned':
    case 'member.unbanned':
    case 'member.warned':
    case 'appeal.accepted':
    case 'appeal.declined':
      return event.memberId === me || (event.type === 'member.banned' && event.removePosts && (reportedHere.size > 0 || !!standing?.reports.some((r) => r.outcome === 'open')));
    default:
      return false;
  }
}

function reportedBefore(standing: MyStanding | null, postId: string): boolean {
  return !!standing?.reports.some((report) => report.postId === postId && report.outcome === 'open');
}

/** My latest warning not yet set aside: the banner's text. */
export function latestWarning(state: RoomState | null, me: string | undefined, dismissedSeq: number): { seq: number; reason: string; at: number } | null {
  const list = me ? state?.conduct?.warnings[me] : undefined;
  const last = list?.[list.length - 1];
  return last && last.seq > dismissedSeq ? last : null;
}

/** Why a post of mine waits for review, as its author reads it in place (what the queue tags it with). */
export function heldReason(why: HeldWhy | undefined): string {
  switch (why) {
    case 'network':
      return 'new names from a network under a ban wait for a moderator';
    case 'new':
      return 'a new member’s first posts wait for a moderator here';
    case 'shield':
      return 'shield mode is on: new members’ posts wait for a moderator';
    default:
      return 'it uses a word this room holds for review';
  }
}
