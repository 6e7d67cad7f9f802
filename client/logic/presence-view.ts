import type { Member } from '../../shared/room-state.js';
import type { Presence } from '../../shared/schemas/presence.js';

/**
 * Who to show as online: the server's last count, but never a banned member (the ban is in the room
 * state at once, the next count comes a moment later), and nobody while the count is not live (this
 * page is disconnected, or has not been counted since it came back): then it is unknown, and a list
 * of green dots would say otherwise.
 */
export function onlineMembers(presence: Presence, live: boolean, members: Record<string, Member>): Set<string> {
  if (!live) return new Set();
  return new Set(presence.online.filter((id) => members[id] && !members[id].banned));
}
