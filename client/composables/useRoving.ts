import { onBeforeUnmount, onMounted, type Ref } from 'vue';

/**
 * One Tab stop per post (and per group of toggles marked `data-roving-group`), with the arrow keys
 * inside it: the roving tabindex of the ARIA toolbar pattern. A post's dozen controls (the time
 * link, reactions, reply, quote, link, report, moderate…) are one stop instead of twelve; Left and
 * Right (Up and Down too, in a group) move between them, Home and End go to the ends, and the
 * control last used is the one Tab comes back to.
 *
 * Done on the DOM, from one observer for the whole page, so the components inside a post need not
 * know: whatever they render is taken in as it appears. Text fields and what opens inside a post (a
 * reply box, a dialog, a menu) keep their ordinary Tab order.
 */
const UNITS = 'article[data-post-id], [data-roving-group]';
const CONTROLS = 'a[href], button, [role="button"][tabindex], select, summary';
const OWN_TAB_ORDER = '.composer, dialog, .popover__panel, input, textarea';
const CURRENT = 'data-roving-current';

function controlsOf(unit: Element): HTMLElement[] {
  return [...unit.querySelectorAll<HTMLElement>(CONTROLS)].filter(
    (el) => el.closest(UNITS) === unit && !el.closest(OWN_TAB_ORDER) && !(el as HTMLButtonElement).disabled && !isRevealedSpoiler(el),
  );
}

/** A revealed spoiler is plain text again (ThreadPostBody.vue), no longer a control. */
const isRevealedSpoiler = (el: HTMLElement) => el.classList.contains('spoiler') && el.classList.contains('is-revealed');

/** Exactly one control of the unit in the Tab order: the current one, else the first. */
function settle(unit: Element): void {
  const controls = controlsOf(unit);
  const current = controls.find((el) => el.hasAttribute(CURRENT)) ?? controls[0];
  for (const el of controls) {
    const tabindex = el === current ? '0' : '-1';
    if (el.getAttribute('tabindex') !== tabindex) el.setAttribute('tabindex', tabindex);
  }
}

function makeCurrent(unit: Element, target: HTMLElement): void {
  for (const el of unit.querySelectorAll(`[${CURRENT}]`)) if (el !== target) el.removeAttribute(CURRENT);
  target.setAttribute(CURRENT, '');
  settle(unit);
}

const KEYS: Record<string, (at: number, count: number) => number> = {
  ArrowRight: (at, n) => (at + 1) % n,
  ArrowLeft: (at, n) => (at - 1 + n) % n,
  Home: () => 0,
  End: (_, n) => n - 1,
};

export function useRoving(root: Ref<HTMLElement | undefined | null>): void {
  let observer: MutationObserver | null = null;

  function settleWithin(node: Node): void {
    if (!(node instanceof Element)) return;
    const unit = node.closest(UNITS);
    if (unit) settle(unit);
    for (const inner of node.querySelectorAll(UNITS)) settle(inner);
  }

  function onKeydown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (event.altKey || event.ctrlKey || event.metaKey || target.closest(OWN_TAB_ORDER) || target.tagName === 'SELECT') return;
    const unit = target.closest(UNITS);
    if (!unit) return;
    let move = KEYS[event.key];
    // In a group of toggles (not in a post, where they scroll the page) Up and Down move too.
    if (!move && unit.hasAttribute('data-roving-group')) move = event.key === 'ArrowDown' ? KEYS.ArrowRight : event.key === 'ArrowUp' ? KEYS.ArrowLeft : undefined!;
    if (!move) return;
    const controls = controlsOf(unit);
    const at = controls.indexOf(target);
    if (at < 0 || !controls.length) return;
    event.preventDefault();
    const next = controls[move(at, controls.length)];
    makeCurrent(unit, next);
    next.focus();
  }

  function onFocusin(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    const unit = target.closest(UNITS);
    if (unit && controlsOf(unit).includes(target)) makeCurrent(unit, target);
  }

  onMounted(() => {
    const el = root.value;
    if (!el) return;
    settleWithin(el);
    observer = new MutationObserver((mutations) => {
      const touched = new Set<Element>();
      for (const mutation of mutations) {
        const unit = (mutation.target as Element).closest?.(UNITS);
        if (unit) touched.add(unit);
        for (const added of mutation.addedNodes) if (added instanceof Element) for (const inner of [added, ...added.querySelectorAll(UNITS)]) if (inner.matches(UNITS)) touched.add(inner);
      }
      for (const unit of touched) settle(unit);
    });
    // Classes and `disabled` too: a revealed spoiler or a button disabled while busy leaves the Tab order.
    observer.observe(el, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'disabled'] });
    el.addEventListener('keydown', onKeydown);
    el.addEventListener('focusin', onFocusin);
  });

  onBeforeUnmount(() => {
    observer?.disconnect();
    root.value?.removeEventListener('keydown', onKeydown);
    root.value?.removeEventListener('focusin', onFocusin);
  });
}
