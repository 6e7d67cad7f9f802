import { onBeforeUnmount, onMounted, type Ref } from 'vue';

/** What each key does in the moderation queue; the buttons carry `data-shortcut`. */
export const QUEUE_KEYS: Record<string, 'next' | 'previous' | 'approve' | 'remove' | 'dismiss' | 'accept' | 'decline'> = {
  j: 'next',
  n: 'next',
  k: 'previous',
  p: 'previous',
  a: 'approve',
  r: 'remove',
  d: 'dismiss',
  y: 'accept',
  x: 'decline',
};

/**
 * Queue at speed: j/n and k/p move between items, a approves, r removes, d dismisses, y accepts and x
 * declines an appeal, on the item that has focus. Keys typed into a field are left alone. `onItem` hears
 * which item has focus now (for "Mo is reviewing"), and null when focus leaves the queue.
 */
export function useQueueKeys(root: Ref<HTMLElement | undefined>, onItem: (item: string | null) => void): void {
  const items = () => [...(root.value?.querySelectorAll<HTMLElement>('.queue__item') ?? [])];
  const current = (target: EventTarget | null) => (target instanceof HTMLElement ? target.closest<HTMLElement>('.queue__item') : null);

  function onKeydown(event: KeyboardEvent) {
    const target = event.target as HTMLElement;
    if (event.altKey || event.ctrlKey || event.metaKey || target.closest('input, textarea, select, [contenteditable="true"], dialog dialog')) return;
    const what = QUEUE_KEYS[event.key];
    if (!what) return;
    const list = items();
    const item = current(target);
    if (what === 'next' || what === 'previous') {
      const at = item ? list.indexOf(item) : -1;
      const next = list[Math.max(0, Math.min(list.length - 1, at + (what === 'next' ? 1 : -1)))];
      next?.focus();
      event.preventDefault();
      return;
    }
    const button = item?.querySelector<HTMLButtonElement>(`[data-shortcut="${what}"]`);
    if (!button) return;
    event.preventDefault();
    button.click();
  }
  function onFocusin(event: FocusEvent) {
    onItem(current(event.target)?.dataset.reviewItem ?? null);
  }
  onMounted(() => {
    root.value?.addEventListener('keydown', onKeydown);
    root.value?.addEventListener('focusin', onFocusin);
  });
  onBeforeUnmount(() => {
    root.value?.removeEventListener('keydown', onKeydown);
    root.value?.removeEventListener('focusin', onFocusin);
    onItem(null);
  });
}
