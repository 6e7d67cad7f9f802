import type { Stance } from '../../../shared/room-events.js';

export const STANCES: readonly Stance[] = ['support', 'rebut', 'question'];
/** As a choice in the composer. */
export const STANCE_CHOICES: Record<Stance, string> = { support: 'Supports', rebut: 'Rebuts', question: 'Questions' };
/** In a balance beneath a post. */
export const STANCE_COUNTS: Record<Stance, [string, string]> = {
  support: ['supporting', 'supporting'],
  rebut: ['rebutting', 'rebutting'],
  question: ['questioning', 'questioning'],
};
export const STANCE_ICONS: Record<Stance, string> = { support: '✓', rebut: '✗', question: '?' };
