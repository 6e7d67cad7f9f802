import type { RoomState } from './room-state.js';

/**
 * A ban can cover the networks the banned person used (the host's choice, on by default): someone new
 * from there (a member who joined after the ban, or a viewer) may watch, but their posts wait for
 * review and they cannot vote or report. Members who were already in the room before the ban are not
 * affected, so one troll does not silence a whole classroom. Only the server knows address keys
 * (clients never receive `state.network`), so only the server asks this.
 */
export function newFromBannedNetwork(state: RoomState, addressKey: string, memberId: string): boolean {
  const ban = state.network && Object.hasOwn(state.network.banned, addressKey) ? state.network.banned[addressKey] : undefined;
  if (!ban) return false;
  const member = Object.hasOwn(state.members, memberId) ? state.members[memberId] : undefined;
  return !member || member.joinedAt >= ban.at;
}
