import { AppError } from '../../shared/errors.js';
import { newFromBannedNetwork } from '../../shared/network.js';
import { SourceRequestInput, SteelmanConfirmInput } from '../../shared/schemas/common-ground.js';
import type { Router } from '../router.js';
import type { AppContext } from '../context.js';
import { spendIfNewToRoom } from './identities.js';
import { authorize, postOrNotFound } from './session.js';
import { onWrite } from './write.js';

/** Common ground's markers: "source requested" and the confirmed steelman. Endorsement itself is a reaction. */
export function bindCommonGroundHandlers(ctx: AppContext, router: Router): void {
  onWrite(
    ctx,
    router,
    'source:request',
    SourceRequestInput,
    (input, state, { memberId, now, addressKey }) => {
      const post = postOrNotFound(state, input.postId);
      authorize(state, memberId, 'source.request', post, now);
      // Viewers may ask too, so a name from a banned network is refused here as its ballots are.
      if (newFromBannedNetwork(state, addressKey, memberId)) throw new AppError('FORBIDDEN', 'A ban in this room covers your network.');
      // Once per person: asking again changes nothing.
      return post.ground?.sourceAsks?.includes(memberId) ? null : { type: 'source.requested', actorId: memberId, postId: post.id };
    },
    // A viewer's first request makes their identity count here: it spends one of the address's new identities.
    { before: (_input, socket) => spendIfNewToRoom(ctx, socket) },
  );

  onWrite(ctx, router, 'steelman:confirm', SteelmanConfirmInput, (input, state, { memberId, now }) => {
    const post = postOrNotFound(state, input.postId);
    authorize(state, memberId, 'steelman.confirm', post, now);
    return post.ground?.steelmannedAt ? null : { type: 'steelman.confirmed', actorId: memberId, postId: post.id };
  });
}
