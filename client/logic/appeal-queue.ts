import type { Appeal } from '../../shared/conduct.js';
import type { Member, RoomState } from '../../shared/room-state.js';

export interface AppealEntry {
  appeal: Appeal;
  member: Member | undefined;
  /** The reason the mute or ban was given. */
  sanctionReason: string;
}

/**
 * Open appeals of a sanction still in force (a mute that ran out, or one lifted otherwise, needs no
 * answer), oldest first: the queue's appeals section and its badge.
 */
export function openAppeals(state: RoomState | null, now: number): AppealEntry[] {
  if (!state?.conduct) return [];
  const conduct = state.conduct;
  return Object.values(conduct.appeals)
    .filter((appeal) => {
      if (appeal.status !== 'open') return false;
      const member = state.members[appeal.memberId];
      const sanction = conduct.sanctions[appeal.memberId]?.[appeal.sanction];
      if (!member || sanction?.seq !== appeal.sanctionSeq) return false;
      return appeal.sanction === 'ban' ? member.banned : member.mutedUntil !== null && member.mutedUntil > now;
    })
    .sort((a, b) => a.at - b.at)
    .map((appeal) => ({ appeal, member: state.members[appeal.memberId], sanctionReason: conduct.sanctions[appeal.memberId]?.[appeal.sanction]?.reason ?? '' }));
}
