import { isModerator, isMuted } from '../../../shared/permissions.js';
import { isGone, type Member, type Post } from '../../../shared/room-state.js';
import { useModerationStore } from '../../stores/moderation.js';
import type { DialogConfig, MenuItem } from '../common/action-menu.js';
import type { usePermissionsStore } from '../../stores/permissions.js';
import { conductItems } from './moderation-conduct-items.js';

export const REMOVE_REASONS = ['Personal attack', 'Spam', 'Off topic', 'Misinformation'] as const;
export const REPORT_REASONS = ['Personal attack', 'Spam', 'Off topic', 'Misinformation'] as const;
export const MUTE_REASONS = ['Cool off', 'Personal attack', 'Spam', 'Off topic'] as const;
export const BAN_REASONS = ['Harassment', 'Repeated personal attacks', 'Spam', 'Ban evasion'] as const;
export const MUTE_MINUTES = [5, 15, 60, 24 * 60] as const;

type Moderation = ReturnType<typeof useModerationStore>;
/** The one permission question (stores/permissions.ts). */
type Permissions = Pick<ReturnType<typeof usePermissionsStore>, 'can'>;

/** A post as a dialog names it: its author and its opening words. */
export function postExcerpt(body: string, max = 80): string {
  const plain = body.replace(/[>*_`#!\[\]()~|]+/g, ' ').replace(/\s+/g, ' ').trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain || '(no text)';
}

export function removeDialog(mod: Moderation, post: Pick<Post, 'id' | 'body'>, author?: string): DialogConfig {
  return {
    title: `Remove ${author ? `${author}’s` : 'this'} post`,
    subject: `“${postExcerpt(post.body)}”${author ? ` by ${author}` : ''}`,
    description: 'Everyone sees “Removed by a moderator” and your reason in its place. Moderators can still read and restore it.',
    confirmLabel: 'Remove post',
    presets: REMOVE_REASONS,
    reasonRequired: true,
    reasonLabel: 'Reason (shown to everyone)',
    danger: true,
    run: ({ reason }) => mod.removePost(post.id, reason),
  };
}

/** Locking replies stops a whole subthread: asked first, and said how to undo. */
export function lockDialog(mod: Moderation, post: Pick<Post, 'id' | 'body'>, author?: string): DialogConfig {
  return {
    title: 'Lock replies beneath this post',
    subject: `“${postExcerpt(post.body)}”${author ? ` by ${author}` : ''}`,
    description: 'No one but moderators can reply to it or to anything beneath it. “Reopen replies” in the same menu undoes it.',
    confirmLabel: 'Lock replies',
    noReason: true,
    run: () => mod.actOnPost(post.id, 'lock'),
  };
}

export function muteDialog(mod: Moderation, member: Member): DialogConfig {
  return {
    title: `Mute ${member.name}`,
    // A mute silences: no posts, replies or reactions. Where someone stands (their side, their vote) is not speech, so it stays theirs.
    description: 'They cannot post, reply or react until the mute ends (they see when). They can still read, vote and change their side.',
    reasonLabel: 'Reason (optional, shown to them and in the public log)',
    confirmLabel: 'Mute',
    presets: MUTE_REASONS,
    minutes: MUTE_MINUTES,
    run: ({ reason, minutes }) => mod.mute(member.id, minutes, reason),
  };
}

export function banDialog(mod: Moderation, member: Member): DialogConfig {
  return {
    title: `Ban ${member.name}`,
    description: 'They are disconnected at once and cannot come back with this identity.',
    reasonLabel: 'Reason (optional, shown to them and in the public log)',
    confirmLabel: `Ban ${member.name}`,
    presets: BAN_REASONS,
    removePosts: true,
    danger: true,
    run: ({ reason, removePosts, coverNetwork }) => mod.ban(member.id, reason, removePosts, coverNetwork),
  };
}

/** What a moderator may do to a post, as the shared rule allows it. */
export function postItems(mod: Moderation, permissions: Permissions, post: Post): MenuItem[] {
  const items: MenuItem[] = [];
  if (post.removed && permissions.can('post.restore', post)) {
    items.push({ key: 'restore', label: 'Restore post', run: () => mod.actOnPost(post.id, 'restore') });
  }
  if (isGone(post)) return items;
  const author = mod.authorName(post);
  if (permissions.can('post.remove', post)) items.push({ key: 'remove', label: 'Remove…', danger: true, dialog: removeDialog(mod, post, author) });
  if (permissions.can('post.pin', post)) {
    items.push(
      post.pinnedAt === null
        ? { key: 'pin', label: 'Pin to the top', run: () => mod.actOnPost(post.id, 'pin') }
        : { key: 'unpin', label: 'Unpin', run: () => mod.actOnPost(post.id, 'unpin') },
    );
  }
  if (permissions.can('thread.lock', post)) {
    items.push(
      post.locked
        ? { key: 'unlock', label: 'Reopen replies', run: () => mod.actOnPost(post.id, 'unlock') }
        : { key: 'lock', label: 'Lock replies…', dialog: lockDialog(mod, post, author) },
    );
  }
  return items;
}

/** What a moderator may do to a person, as the shared rule allows it; `now` is the room's rule clock (mod.ruleNow). */
export function memberItems(mod: Moderation, permissions: Permissions, member: Member, now: number): MenuItem[] {
  const items: MenuItem[] = [];
  const id = member.id;
  if (member.banned) {
    if (permissions.can('member.ban', member)) items.push({ key: 'unban', label: `Unban ${member.name}`, run: () => mod.actOnMember(id, 'unban') });
    return items;
  }
  if (permissions.can('member.mute', member)) {
    items.push(
      isMuted(member, now)
        ? { key: 'unmute', label: `Unmute ${member.name}`, run: () => mod.actOnMember(id, 'unmute') }
        : { key: 'mute', label: `Mute ${member.name}…`, dialog: muteDialog(mod, member) },
    );
  }
  if (permissions.can('hand.resolve', member) && !isModerator(member)) {
    const speakersOnly = mod.speakersOnly;
    if (member.handRaised) {
      items.push({ key: 'approve', label: `Let ${member.name} speak`, run: () => mod.actOnMember(id, 'approveSpeaker') });
      items.push({ key: 'deny', label: `Decline ${member.name}’s raised hand`, run: () => mod.actOnMember(id, 'denySpeaker') });
    } else if (member.speaker) {
      items.push({ key: 'revoke', label: `Withdraw ${member.name}’s speaking rights`, run: () => mod.actOnMember(id, 'revokeSpeaker') });
    } else if (speakersOnly) {
      items.push({ key: 'approve', label: `Approve ${member.name} as a speaker`, run: () => mod.actOnMember(id, 'approveSpeaker') });
    }
  }
  if (permissions.can('member.promote', member)) {
    if (member.role === 'participant') items.push({ key: 'promote', label: `Make ${member.name} a moderator`, run: () => mod.actOnMember(id, 'promote') });
    if (member.role === 'moderator') items.push({ key: 'demote', label: `Remove ${member.name} as moderator`, run: () => mod.actOnMember(id, 'demote') });
  }
  if (permissions.can('member.ban', member)) items.push({ key: 'ban', label: `Ban ${member.name}…`, danger: true, dialog: banDialog(mod, member) });
  return [...conductItems(mod, permissions, member), ...items];
}
