import { nanoid } from 'nanoid';
import { ok } from './client.js';
import { joinAs, openRoom, post } from './fixtures.js';

/** Texts that only moderators may ever read again, each unique so an export can be searched for it. */
export const SECRETS = {
  deleted: 'SECRET-deleted-by-its-author',
  replaced: 'SECRET-first-draft-before-the-edit',
  removed: 'SECRET-removed-by-a-moderator',
  held: 'SECRET-heldword-waiting-for-review',
  reportReason: 'SECRET-why-i-reported-it',
  removalOfBanned: 'SECRET-posted-by-the-banned-troll',
} as const;

/**
 * A room with something of everything the record must get right: threads and replies with stances,
 * reactions, sides, an edit, an author's delete, a removal, a held post, a report, a hidden vote with
 * ballots, a ban covering a network (so the log holds address keys), a mute, moderator names hidden.
 */
export async function recordScene(url: string) {
  const { host, roomId, hostId, hostToken } = await openRoom(url, 'Should cities ban cars?');
  const bea = await joinAs(url, roomId, 'Bea');
  const cal = await joinAs(url, roomId, 'Cal');
  const mod = await joinAs(url, roomId, 'Mod');
  const troll = await joinAs(url, roomId, 'Troll');
  const viewer = await joinAs(url, roomId, null);
  await ok(host, 'mod:member', { action: 'promote', memberId: mod.id });
  await ok(host, 'phase:set', { phase: 'opening', minutes: 5 });
  const opening = await post(host, 'Cars in centres cost **lives** and space.');
  const rebuttal = nanoid();
  await ok(bea.socket, 'post:create', { id: rebuttal, parentId: opening.id, body: 'Deliveries still need access.', stance: 'rebut' });
  await ok(cal.socket, 'post:create', { id: nanoid(), parentId: rebuttal, body: 'Deliveries can come before 7am.', stance: 'rebut' });
  await ok(cal.socket, 'reaction:set', { postId: opening.id, emoji: '👍', on: true });
  await ok(bea.socket, 'reaction:set', { postId: opening.id, emoji: '🔥', on: true });
  for (const [who, side] of [[host, 'for'], [bea.socket, 'against'], [cal.socket, 'undecided']] as const) await ok(who, 'side:set', { side });
  const edited = await post(bea.socket, SECRETS.replaced);
  await ok(bea.socket, 'post:edit', { postId: edited.id, body: 'Buses first, then fewer cars.' });
  const deleted = await post(cal.socket, SECRETS.deleted);
  await ok(cal.socket, 'post:delete', { postId: deleted.id });
  const removed = await post(bea.socket, SECRETS.removed);
  await ok(mod.socket, 'mod:post', { action: 'remove', postId: removed.id, reason: 'off topic' });
  await ok(host, 'mod:room', { action: 'blockedTerms', terms: [{ term: 'heldword', action: 'hold' }] });
  await ok(cal.socket, 'post:create', { id: nanoid(), parentId: null, body: SECRETS.held });
  await ok(cal.socket, 'report:create', { postId: edited.id, reason: SECRETS.reportReason });
  await ok(host, 'vote:manage', { action: 'open', vote: 'initial', hideResults: true });
  await ok(bea.socket, 'vote:cast', { vote: 'initial', choice: 'against' });
  await ok(viewer.socket, 'vote:cast', { vote: 'initial', choice: 'for' });
  await post(troll.socket, SECRETS.removalOfBanned);
  await ok(host, 'mod:member', { action: 'mute', memberId: cal.id, minutes: 5, reason: 'cool off' });
  await ok(host, 'mod:member', { action: 'ban', memberId: troll.id, reason: 'trolling', removePosts: true, coverNetwork: true });
  await ok(host, 'mod:room', { action: 'settings', settings: { showModNames: false } });
  const seq = (await ok(host, 'phase:set', { phase: 'open', minutes: null })).seq;
  return { roomId, host: { socket: host, id: hostId, token: hostToken }, bea, cal, mod, troll, viewer, seq, posts: { opening: opening.id, rebuttal, edited: edited.id } };
}
export type RecordScene = Awaited<ReturnType<typeof recordScene>>;
