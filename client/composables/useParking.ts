import type { Directive } from 'vue';
import { useThreadViewStore } from '../stores/thread-view.js';

/**
 * A thread is mounted again once it comes within NEAR of the viewport, and parked only once it is
 * beyond FAR: the gap between the two keeps threads at the edge from flickering in and out.
 */
const NEAR = '150%';
const FAR = '400%';

let near: IntersectionObserver | null = null;
let far: IntersectionObserver | null = null;
let sizes: ResizeObserver | null = null;
const heights = new WeakMap<Element, number>();

function observers() {
  if (near || typeof IntersectionObserver === 'undefined' || typeof ResizeObserver === 'undefined') return;
  const view = useThreadViewStore();
  sizes = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const id = (entry.target as HTMLElement).dataset.parkId;
      if (id && !view.parked.has(id)) heights.set(entry.target, (entry.target as HTMLElement).offsetHeight);
    }
  });
  const watch = (margin: string, act: (el: HTMLElement, id: string, inside: boolean) => void) =>
    new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const el = entry.target as HTMLElement;
          if (el.dataset.parkId) act(el, el.dataset.parkId, entry.isIntersecting);
        }
      },
      { rootMargin: `${margin} 0px` },
    );
  near = watch(NEAR, (_el, id, inside) => inside && view.unpark(id));
  far = watch(FAR, (el, id, inside) => !inside && view.park(id, heights.get(el) ?? el.offsetHeight));
}

/**
 * v-park="threadId" on a top-level thread: far from the viewport the thread is swapped for an empty
 * box of exactly its height (see ThreadList), so a room of thousands of posts keeps a page of about a
 * hundred, and scrolling stays smooth. Nothing moves: the box is as tall as what it replaces.
 */
export const vPark: Directive<HTMLElement, string | null> = {
  mounted: follow,
  updated: follow,
  beforeUnmount: stop,
};

function follow(el: HTMLElement, { value }: { value: string | null }): void {
  if ((el.dataset.parkId ?? null) === value) return;
  stop(el);
  if (!value) return;
  observers();
  el.dataset.parkId = value;
  sizes?.observe(el);
  near?.observe(el);
  far?.observe(el);
}

function stop(el: HTMLElement): void {
  const id = el.dataset.parkId;
  if (!id) return;
  sizes?.unobserve(el);
  near?.unobserve(el);
  far?.unobserve(el);
  delete el.dataset.parkId;
  useThreadViewStore().unpark(id);
}
