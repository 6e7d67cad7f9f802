// Reproduces a gap in room:posts paging (shared/post-window.ts threadPage): a top-level post created in
// the same millisecond as the page cursor's is skipped by the next page. Run: npx tsx bench/page/paging-gap.ts
import { threadPage } from '../../shared/post-window.js';
import { foldEvents } from '../../shared/room-state.js';
import type { RoomEvent } from '../../shared/room-events.js';
const events: RoomEvent[] = [{ seq: 1, at: 1, actorId: 'h', type: 'room.opened', room: { id: 'r', title: 't', motion: '', hostId: 'h', createdAt: 1 } }];
// 300 top-level posts, two per millisecond.
for (let i = 0; i < 301; i++) events.push({ seq: i + 2, at: 1000 + Math.floor(i / 2), actorId: 'h', type: 'post.created', postId: `p${i}`, parentId: null, body: 'x' });
const state = foldEvents(events)!;
const seen = new Set<string>();
let page = threadPage(state, null);
page.posts.forEach((p) => seen.add(p.id));
while (page.more) { page = threadPage(state, page.cursor); page.posts.forEach((p) => seen.add(p.id)); }
console.log("roots", 301, 'reached by paging', seen.size);
