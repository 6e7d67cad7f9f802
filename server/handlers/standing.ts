import { appealable, appealOf } from '../../shared/conduct.js';
import type { RoomState } from '../../shared/room-state.js';
import { StandingInput, type MyStanding } from '../../shared/schemas/conduct.js';
import type { AppContext } from '../context.js';
import { metered } from '../read-answers.js';
import type { Router } from '../router.js';
import { appellant } from './appeals.js';
import { roomOrNotFound } from './session.js';

/** The most of each list one answer carries (the newest): a bounded read, whatever the room's size. */
const MOST = 50;

/**
 * `room:standing`: what the room holds about me that only I (besides moderators) may read, answered to me
 * alone, never put in a shared frame or snapshot: the text of my removed and held posts with the reason
 * (where others see a tombstone; no shadowbans), what became of my reports, my appeals and what I may
 * appeal. A banned person asks with their token. Metered like every read.
 */
export function bindStandingHandler(ctx: AppContext, router: Router): void {
  router.on('room:standing', StandingInput, async (input, socket) => {
    const { roomId, memberId } = appellant(input, socket);
    return metered(ctx, socket, memberId, async () => {
      const standing = standingOf(roomOrNotFound(await ctx.store.load(roomId)), memberId, ctx.now());
      return { data: standing, bytes: Buffer.byteLength(JSON.stringify(standing)) };
    });
  });
}

export function standingOf(state: RoomState, memberId: string, now: number): MyStanding {
  const member = Object.hasOwn(state.members, memberId) ? state.members[memberId] : undefined;
  const newest = <T>(list: T[]) => list.slice(-MOST);
  const removed = newest(
    state.postOrder
      .map((id) => state.posts[id]!)
      .filter((post) => post.authorId === memberId && post.removed && post.deletedAt === null)
      .map((post) => ({ postId: post.id, body: post.body, reason: post.removed!.reason, at: post.removed!.at })),
  );
  const held = newest(
    Object.values(state.held)
      .filter((entry) => entry.authorId === memberId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((entry) => ({ postId: entry.id, parentId: entry.parentId, body: entry.body, why: entry.why ?? 'term', at: entry.createdAt })),
  );
  const open = Object.values(state.reports)
    .filter((report) => report.reporterId === memberId)
    .map((report) => ({ reportId: report.id, postId: report.postId, reason: report.reason, at: report.at, outcome: 'open' as const, publicReason: '' }));
  const closed = (state.conduct?.reportsClosed ?? [])
    .filter((report) => report.reporterId === memberId)
    .map((report) => ({ reportId: report.id, postId: report.postId, reason: report.reason, at: report.at, outcome: report.outcome, publicReason: report.publicReason }));
  const inForce = member ? appealable(state, member, now) : null;
  return {
    seq: state.seq,
    memberId,
    removed,
    held,
    reports: newest([...closed, ...open].sort((a, b) => a.at - b.at)),
    appeals: newest(Object.values(state.conduct?.appeals ?? {}).filter((appeal) => appeal.memberId === memberId)),
    appealable: inForce && !appealOf(state, memberId, inForce.sanction.seq) ? { kind: inForce.kind, seq: inForce.sanction.seq, reason: inForce.sanction.reason, at: inForce.sanction.at } : null,
    banned: !!member?.banned,
  };
}
