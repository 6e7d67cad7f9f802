import type { Conduct } from './conduct.js';
import type { EventOf } from './room-events.js';

/**
 * The public's copy of what the room remembers of people's conduct (shared/conduct.ts), for redact.ts:
 * no notes at all (not even whom they are about), closed reports without who reported or why (as open
 * ones), appeals without their text, and no moderator's name where the host hides them. Each appellant
 * and reporter reads their own through server/handlers/standing.ts, never through the shared frames.
 */
export function redactConduct(conduct: Conduct, hideActors: boolean): Conduct {
  const by = <T extends { by: string }>(item: T): T => (hideActors && item.by ? { ...item, by: '' } : item);
  const sanctions: Conduct['sanctions'] = {};
  for (const [id, held] of Object.entries(conduct.sanctions)) sanctions[id] = { ...(held.mute ? { mute: by(held.mute) } : {}), ...(held.ban ? { ban: by(held.ban) } : {}) };
  const warnings: Conduct['warnings'] = {};
  for (const [id, list] of Object.entries(conduct.warnings)) warnings[id] = list.map(by);
  const appeals: Conduct['appeals'] = {};
  for (const [id, appeal] of Object.entries(conduct.appeals)) appeals[id] = { ...appeal, text: '', decidedBy: hideActors ? '' : appeal.decidedBy };
  return {
    ...conduct,
    notes: {},
    reportsClosed: conduct.reportsClosed.map((report) => ({ ...report, reporterId: '', reason: '' })),
    appeals,
    warnings,
    sanctions,
  };
}

/** A note reaches the public as an empty husk (its seq keeps the log gapless); an appeal without its text. */
export function redactConductEvent(event: EventOf<'member.noted' | 'appeal.filed'>): EventOf<'member.noted' | 'appeal.filed'> {
  if (event.type === 'member.noted') return { ...event, actorId: '', memberId: '', noteId: '', note: '' };
  return event.text ? { ...event, text: '' } : event;
}

/** What forgetModeratorNames (redact-applied.ts) blanks in a live copy once the host hides names. */
export function forgetConductNames(conduct: Conduct | undefined): void {
  if (!conduct) return;
  for (const held of Object.values(conduct.sanctions)) for (const sanction of [held.mute, held.ban]) if (sanction) sanction.by = '';
  for (const list of Object.values(conduct.warnings)) for (const warning of list) warning.by = '';
  for (const appeal of Object.values(conduct.appeals)) appeal.decidedBy = '';
}
