import type { Member } from '../../../shared/room-state.js';
import type { useModerationStore } from '../../stores/moderation.js';
import type { usePermissionsStore } from '../../stores/permissions.js';
import type { MenuItem } from '../common/action-menu.js';

type Moderation = ReturnType<typeof useModerationStore>;
type Permissions = Pick<ReturnType<typeof usePermissionsStore>, 'can'>;

export const WARN_REASONS = ['Personal attacks', 'Off topic', 'Spam', 'Keep it civil'] as const;

/** The person menu's record, warning and note entries, as the shared rule allows them. */
export function conductItems(mod: Moderation, permissions: Permissions, member: Member): MenuItem[] {
  const items: MenuItem[] = [{ key: 'record', label: `${member.name}’s record`, run: async () => void (mod.recordOf = member.id) }];
  if (permissions.can('member.warn', member)) {
    items.push({
      key: 'warn',
      label: `Warn ${member.name}…`,
      dialog: {
        title: `Warn ${member.name}`,
        description: 'They see “A moderator warned you” and your reason; the public mod log shows the warning and its reason.',
        confirmLabel: 'Warn',
        presets: WARN_REASONS,
        reasonRequired: true,
        reasonLabel: 'Reason (shown to them and in the public log)',
        run: ({ reason }) => mod.warn(member.id, reason),
      },
    });
  }
  if (permissions.can('member.note', member)) {
    items.push({
      key: 'note',
      label: `Note on ${member.name}…`,
      dialog: {
        title: `A note on ${member.name}`,
        description: 'Only moderators ever see notes: in their record and in the queue. They are never told.',
        confirmLabel: 'Save note',
        reasonRequired: true,
        reasonLabel: 'Note (only moderators see it)',
        run: ({ reason }) => mod.note(member.id, reason),
      },
    });
  }
  return items;
}
