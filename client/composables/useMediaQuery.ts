import { onBeforeUnmount, ref, type Ref } from 'vue';

/** Whether a media query matches, kept up to date as the window is resized or rotated. */
export function useMediaQuery(query: string): Ref<boolean> {
  const list = typeof window === 'undefined' ? null : (window.matchMedia?.(query) ?? null);
  const matches = ref(list?.matches ?? false);
  const update = (event: MediaQueryListEvent) => (matches.value = event.matches);
  list?.addEventListener('change', update);
  onBeforeUnmount(() => list?.removeEventListener('change', update));
  return matches;
}

/** The one width below which the room folds its side panels into a drawer (see RoomSidePanel.vue). */
export const NARROW = '(max-width: 800px)';
