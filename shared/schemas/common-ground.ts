import { z } from 'zod';
import { Id } from './common.js';

/** "Source requested" on someone else's claim: once per person (a repeat changes nothing). */
export const SourceRequestInput = z.strictObject({ postId: Id });
export type SourceRequestInput = z.input<typeof SourceRequestInput>;

/** The parent's author: "yes, that's my view", on the rebuttal that restated it. */
export const SteelmanConfirmInput = z.strictObject({ postId: Id });
export type SteelmanConfirmInput = z.input<typeof SteelmanConfirmInput>;
