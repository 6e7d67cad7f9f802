import { nextTick, readonly, ref } from 'vue';

/**
 * The page's one polite live region (CommonAnnouncer.vue renders it): new posts, "time is up".
 * Everything a screen reader should hear without moving focus goes through here, so two regions
 * never talk over each other.
 */
const message = ref('');

export const announcement = readonly(message);

export function announce(text: string): void {
  // Emptied first, so the same sentence twice in a row is still read out.
  message.value = '';
  void nextTick(() => (message.value = text));
}

/** "3 new replies", "1 new post", "2 new posts and 1 new reply". */
export function arrivalsSentence(posts: number, replies: number): string {
  const part = (n: number, one: string, many: string) => `${n} new ${n === 1 ? one : many}`;
  if (posts && replies) return `${part(posts, 'post', 'posts')} and ${part(replies, 'reply', 'replies')}`;
  return posts ? part(posts, 'post', 'posts') : part(replies, 'reply', 'replies');
}

/**
 * Counts arrivals and says them at most once per `gapMs`: the first after a short gathering pause,
 * so a burst is one sentence ("5 new replies"), not five.
 */
export function createArrivalCounter(say: (text: string) => void, { gatherMs = 1_500, gapMs = 10_000 } = {}) {
  let posts = 0;
  let replies = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastSaid = -Infinity;

  function flush(): void {
    timer = null;
    if (!posts && !replies) return;
    say(arrivalsSentence(posts, replies));
    posts = replies = 0;
    lastSaid = Date.now();
  }

  function count(isReply: boolean): void {
    if (isReply) replies++;
    else posts++;
    if (timer) return;
    timer = setTimeout(flush, Math.max(gatherMs, lastSaid + gapMs - Date.now()));
  }

  function stop(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    posts = replies = 0;
  }

  return { count, stop };
}
