/**
 * What a menu of actions (CommonMenu) and its dialog (CommonActionDialog) are given: entries that act
 * at once or after a few words. The moderation menus build them (moderation/moderation-items.ts).
 */

export interface DialogValues {
  reason: string;
  minutes: number;
  removePosts: boolean;
  coverNetwork: boolean;
}

/** An action that needs a few words first: a reason, a duration, "also remove their posts". */
export interface DialogConfig {
  title: string;
  /** What is acted on, quoted (a post's author and opening words). */
  subject?: string;
  description?: string;
  confirmLabel: string;
  presets?: readonly string[];
  reasonRequired?: boolean;
  /** Who reads the reason, in the field's label: "Reason (shown to everyone)", "Reason (only moderators see it)". */
  reasonLabel?: string;
  /** A confirmation only: no reason asked. */
  noReason?: boolean;
  /** Ask for how long (a mute): the choices, in minutes; the dialog starts on 15. */
  minutes?: readonly number[];
  /** Offer "also remove their posts" and "hold new names from their network" (a ban). */
  removePosts?: boolean;
  danger?: boolean;
  run: (values: DialogValues) => Promise<unknown>;
}

/** One entry of a menu: done at once (`run`) or after a dialog. */
export interface MenuItem {
  key: string;
  label: string;
  danger?: boolean;
  run?: () => Promise<unknown>;
  dialog?: DialogConfig;
}

export interface MenuGroup {
  heading: string;
  items: MenuItem[];
}

/** A duration as a choice reads: "5 min", "1 hour", "1 day". */
export function durationLabel(minutes: number): string {
  if (minutes % (24 * 60) === 0) return minutes === 24 * 60 ? '1 day' : `${minutes / (24 * 60)} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} min`;
}
