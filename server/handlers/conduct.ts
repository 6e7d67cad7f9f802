import { nanoid } from 'nanoid';
import { conductLimits, guardOf } from '../../shared/conduct.js';
import { AppError } from '../../shared/errors.js';
import type { EventDraft, RoomGuard } from '../../shared/room-events.js';
import type { RoomState } from '../../shared/room-state.js';
import { ConductMemberInput, GuardInput } from '../../shared/schemas/conduct.js';
import type { AppContext } from '../context.js';
import type { Router } from '../router.js';
import { authorize, memberOrNotFound } from './session.js';
import { onWrite, type Acting } from './write.js';
import { own } from '../../shared/own.js';

/** Notes and warnings on a person; the room's guard (new-member dampening, shield mode). */
export function bindConductHandlers(ctx: AppContext, router: Router): void {
  onWrite(ctx, router, 'mod:conduct', ConductMemberInput, (input, state, { memberId, now }) => {
    const target = memberOrNotFound(state, input.memberId);
    if (input.action === 'warn') {
      authorize(state, memberId, 'member.warn', target, now);
      return { type: 'member.warned', actorId: memberId, memberId: target.id, reason: input.reason };
    }
    authorize(state, memberId, 'member.note', target, now);
    const notes = state.conduct ? (own(state.conduct.notes, target.id) ?? []) : [];
    if (notes.length >= conductLimits.notesPerMember) throw new AppError('FORBIDDEN', `${target.name} has ${conductLimits.notesPerMember} notes, the most kept; add to the latest in person instead.`);
    return { type: 'member.noted', actorId: memberId, memberId: target.id, noteId: nanoid(12), note: input.note };
  });

  onWrite(ctx, router, 'mod:guard', GuardInput, (input, state, acting) => changeGuard(state, acting, input));
}

function changeGuard(state: RoomState, { memberId, now }: Acting, input: Partial<RoomGuard>): EventDraft | null {
  // Shield mode is every moderator's switch (a raid does not wait for the host); dampening is the host's setting.
  if (input.shield !== undefined) authorize(state, memberId, 'room.shield', undefined, now);
  if (input.newMemberMinutes !== undefined || input.newMemberHeldPosts !== undefined) authorize(state, memberId, 'room.dampen', undefined, now);
  const guard = guardOf(state);
  const changed = Object.fromEntries(Object.entries(input).filter(([key, value]) => guard[key as keyof RoomGuard] !== value)) as Partial<RoomGuard>;
  return Object.keys(changed).length ? { type: 'room.guard', actorId: memberId, guard: changed } : null;
}
