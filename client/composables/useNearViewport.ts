import { onBeforeUnmount, onMounted, type Ref } from 'vue';

/**
 * Call `step` while the element is within `margin` of the viewport, one step per frame: for rendering
 * more of a long list, or loading older threads, before the reader reaches the end.
 */
export function useNearViewport(el: Ref<HTMLElement | undefined | null>, step: () => void | Promise<void>, margin = 1200) {
  let observer: IntersectionObserver | null = null;
  let near = false;
  let running = false;

  function isNear(): boolean {
    const rect = el.value?.getBoundingClientRect();
    return !!rect && rect.top < window.innerHeight + margin && rect.bottom > -margin;
  }

  async function run(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (near && el.value && isNear()) {
        await step();
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      }
    } finally {
      running = false;
    }
  }

  onMounted(() => {
    if (typeof IntersectionObserver === 'undefined' || !el.value) return;
    observer = new IntersectionObserver(
      (entries) => {
        near = entries.some((entry) => entry.isIntersecting);
        if (near) void run();
      },
      { rootMargin: `${margin}px 0px` },
    );
    observer.observe(el.value);
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    near = false;
  });
}
