import { computed, ref } from 'vue';

/**
 * The app has two pages (the landing page and /r/<roomId>, with ?thread=<postId> for a subthread
 * on its own), so a few lines over the History API replace a router.
 */
const location = ref(currentLocation());

function currentLocation() {
  return typeof window === 'undefined' ? new URL('http://localhost/') : new URL(window.location.href);
}

if (typeof window !== 'undefined') window.addEventListener('popstate', () => (location.value = currentLocation()));

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.href === window.location.href) return;
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  location.value = url;
}

export function roomPath(roomId: string, threadId?: string | null): string {
  const path = `/r/${encodeURIComponent(roomId)}`;
  return threadId ? `${path}?thread=${encodeURIComponent(threadId)}` : path;
}

export function useRoute() {
  const roomId = computed(() => /^\/r\/([A-Za-z0-9_-]+)\/?$/.exec(location.value.pathname)?.[1] ?? null);
  const threadId = computed(() => location.value.searchParams.get('thread'));
  return { roomId, threadId, location };
}

/** For <a href> links: a plain left click navigates in place; modified clicks keep their browser meaning. */
export function onLinkClick(event: MouseEvent, to: string): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(to);
}
