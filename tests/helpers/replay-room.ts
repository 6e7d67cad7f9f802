import fc from 'fast-check';
import { REACTIONS } from '../../shared/limits.js';
import type { EventDraft, RoomEvent, Side, Stance } from '../../shared/room-events.js';
import { applyEvent, type RoomState } from '../../shared/room-state.js';

/**
 * Random room logs, made the way the server makes them: each step is interpreted against the room as it is
 * (ids picked from the members and posts that exist), stamped with the next seq and folded in. Every text is
 * unique, so a test can tell exactly which text of which post was served.
 */
const KINDS = [
  'join', 'post', 'post', 'post', 'reply', 'reply', 'reply', 'react', 'react', 'unreact', 'edit', 'delete', 'remove', 'restore',
  'hold', 'approve', 'reject', 'report', 'dismiss', 'side', 'vote', 'openVote', 'closeVote', 'mind', 'phase', 'ban', 'mute', 'pin',
  'lock', 'settings', 'promote',
] as const;
type Kind = (typeof KINDS)[number];

export const steps = (length: number) =>
  fc.array(fc.tuple(fc.constantFrom(...KINDS), fc.nat(), fc.nat(), fc.boolean()), { minLength: length, maxLength: length });

const T0 = Date.UTC(2026, 0, 5, 18, 0, 0);

export function buildLog(plan: [Kind, number, number, boolean][]): RoomEvent[] {
  const events: RoomEvent[] = [];
  let state: RoomState | null = null;
  let at = T0;
  let text = 0;
  const add = (draft: EventDraft) => {
    // Mostly seconds apart, with the odd burst and the odd quiet spell (for the busiest minute and playback).
    const event = { ...draft, seq: events.length + 1, at: (draft.at ?? at) } as RoomEvent;
    events.push(event);
    state = applyEvent(state, structuredClone(event));
  };
  add({ type: 'room.opened', actorId: 'host0001', room: { id: 'room-0001', title: 'A generated room', motion: 'This house generates', hostId: 'host0001', createdAt: T0 } });
  add({ type: 'member.joined', actorId: 'host0001', name: 'Host', role: 'host', addressKey: 'addr-host' });
  for (const [kind, a, b, flag] of plan) {
    at += flag ? 1_000 : (a % 7) * 9_000 + 500;
    const s = state!;
    const members = Object.keys(s.members);
    const member = members[a % members.length]!;
    const mod = members.find((id) => s.members[id]!.role !== 'participant') ?? 'host0001';
    const posts = s.postOrder;
    const post = posts.length ? s.posts[posts[b % posts.length]!]! : null;
    const held = Object.keys(s.held);
    const side = (['for', 'against', 'undecided'] as Side[])[b % 3]!;
    const fresh = () => `t${++text}`;
    const draft = ((): EventDraft | null => {
      switch (kind) {
        case 'join':
          return { type: 'member.joined', actorId: `member${String(members.length).padStart(3, '0')}`, name: `Person ${members.length}`, role: 'participant', addressKey: `addr-${a % 5}` };
        case 'post':
          return { type: 'post.created', actorId: member, postId: `post${++text}`, parentId: null, body: `body ${fresh()}` };
        case 'reply':
          return post && { type: 'post.created', actorId: member, postId: `post${++text}`, parentId: post.id, body: `reply ${fresh()}`, ...(flag ? { stance: (['support', 'rebut', 'question'] as Stance[])[a % 3]! } : {}) };
        case 'react':
        case 'unreact':
          return post && { type: kind === 'react' ? 'reaction.added' : 'reaction.removed', actorId: member, postId: post.id, emoji: REACTIONS[a % REACTIONS.length]! };
        case 'edit':
          return post && { type: 'post.edited', actorId: post.authorId, postId: post.id, body: `edit ${fresh()}` };
        case 'delete':
          return post && { type: 'post.deleted', actorId: post.authorId, postId: post.id };
        case 'remove':
          return post && { type: 'post.removed', actorId: mod, postId: post.id, reason: `reason ${fresh()}` };
        case 'restore':
          return post?.removed ? { type: 'post.restored', actorId: mod, postId: post.id, body: post.body || `restored ${fresh()}` } : null;
        case 'hold':
          return { type: 'post.held', actorId: member, postId: `post${++text}`, parentId: post?.id ?? null, body: `held ${fresh()}`, term: 'word' };
        case 'approve':
          return held.length ? { type: 'post.approved', actorId: mod, postId: held[a % held.length]!, body: s.held[held[a % held.length]!]!.body } : null;
        case 'reject':
          return held.length ? { type: 'post.rejected', actorId: mod, postId: held[a % held.length]!, reason: 'no' } : null;
        case 'report':
          return post && { type: 'report.filed', actorId: member, reportId: `report${++text}`, postId: post.id, reason: `report ${fresh()}` };
        case 'dismiss':
          return post && { type: 'report.dismissed', actorId: mod, postId: post.id };
        case 'side':
          return { type: 'member.side', actorId: member, side };
        case 'openVote':
          return { type: 'vote.opened', actorId: 'host0001', vote: flag ? 'initial' : 'final', hideResults: a % 2 === 0 };
        case 'vote':
          return { type: 'vote.cast', actorId: member, vote: flag ? 'initial' : 'final', choice: side };
        case 'closeVote':
          return { type: 'vote.closed', actorId: 'host0001', vote: flag ? 'initial' : 'final', tally: { for: a % 9, against: b % 9, undecided: 1 } };
        case 'mind':
          return post && { type: 'mind.changed', actorId: member, postId: post.id };
        case 'phase':
          return { type: 'phase.changed', actorId: 'host0001', phase: (['opening', 'open', 'closing', 'ended'] as const)[a % 4]!, endsAt: flag ? at + 300_000 : null };
        case 'ban':
          return member === 'host0001' ? null : { type: 'member.banned', actorId: mod, memberId: member, reason: 'ban', removePosts: flag, addressKeys: [`addr-${b % 5}`] };
        case 'mute':
          return { type: 'member.muted', actorId: mod, memberId: member, until: at + 60_000, reason: 'mute' };
        case 'pin':
          return post && { type: flag ? 'post.pinned' : 'post.unpinned', actorId: mod, postId: post.id };
        case 'lock':
          return post && { type: flag ? 'thread.locked' : 'thread.unlocked', actorId: mod, postId: post.id };
        case 'settings':
          return { type: 'room.settings', actorId: 'host0001', settings: { showModNames: flag, slowModeSeconds: a % 3 === 0 ? 10 : 0 } };
        case 'promote':
          return member === 'host0001' ? null : { type: flag ? 'member.promoted' : 'member.demoted', actorId: 'host0001', memberId: member };
      }
    })();
    if (draft) add(draft);
  }
  return events;
}
