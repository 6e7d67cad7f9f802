import { nanoid } from 'nanoid';
import { appealable, appealOf, ownAppeal } from '../../shared/conduct.js';
import { AppError } from '../../shared/errors.js';
import { AppealCreateInput, AppealDecideInput } from '../../shared/schemas/conduct.js';
import type { AppContext } from '../context.js';
import type { AppSocket } from '../sockets.js';
import { addressKeyFor, memberIdFor } from '../identity.js';
import type { Router } from '../router.js';
import { authorize, memberOrNotFound, roomOrNotFound } from './session.js';
import { onWrite, type WritingAs } from './write.js';

/**
 * Appeals: the person under a mute or ban asks once per action, in a few words; a moderator accepts (the
 * sanction is lifted) or declines with a reason the person reads. A banned person cannot join, so they
 * appeal with their token. Only the person acted on can appeal it (a fresh identity has nothing to
 * appeal), and appeals are budgeted per address as well as by the write meter.
 */
export function bindAppealHandlers(ctx: AppContext, router: Router): void {
  onWrite(ctx, router, 'appeal:create', AppealCreateInput, (input, state, { memberId, now }, appealId: string) => {
    authorize(state, memberId, 'appeal.file', undefined, now);
    const me = memberOrNotFound(state, memberId);
    const inForce = appealable(state, me, now)!;
    if (inForce.sanction.seq !== input.sanctionSeq) throw new AppError('NOT_FOUND', 'That is not the mute or ban in force on you; reload to see the current one.');
    // One per action per person: a retry or a second try changes nothing.
    if (appealOf(state, memberId, input.sanctionSeq)) return null;
    return { type: 'appeal.filed', actorId: memberId, appealId, sanction: inForce.kind, sanctionSeq: input.sanctionSeq, text: input.text };
  }, {
    as: appellant,
    // Budgeted per address besides the write meter; the id is made here, so deciding again on newer state keeps it.
    before: async (_input, socket) => {
      await ctx.perAddress.appeals.consume(socket.data.address);
      return nanoid(12);
    },
  });

  onWrite(ctx, router, 'mod:appeal', AppealDecideInput, (input, state, { memberId, now }) => {
    const appeal = ownAppeal(roomOrNotFound(state), input.appealId);
    if (!appeal) throw new AppError('NOT_FOUND', 'There is no such appeal.');
    // Decided already (a retry, another moderator, or the sanction was lifted some other way).
    if (appeal.status !== 'open') return null;
    authorize(state, memberId, 'appeal.review', memberOrNotFound(state, appeal.memberId), now);
    const base = { actorId: memberId, appealId: appeal.id, memberId: appeal.memberId, sanction: appeal.sanction, reason: input.reason };
    return input.action === 'accept' ? { type: 'appeal.accepted', ...base } : { type: 'appeal.declined', ...base };
  });
}

/** The joined member, or (not joined) the member the room and token name; never both at odds. */
export function appellant(input: { roomId?: string; token?: string }, socket: AppSocket): WritingAs {
  if (input.roomId !== undefined && input.token !== undefined) {
    return { roomId: input.roomId, memberId: memberIdFor(input.roomId, input.token), addressKey: addressKeyFor(input.roomId, socket.data.address) };
  }
  const session = socket.data.session;
  if (!session) throw new AppError('NOT_JOINED', 'Join the room first, or send the room and your token.');
  return session;
}
