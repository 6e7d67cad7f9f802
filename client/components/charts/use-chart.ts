import { onMounted, onUnmounted, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { ChartConfiguration, ChartType } from 'chart.js';
import type { ShapePart } from '../../logic/debate-shape.js';
import { applyDefaults, Chart, onSchemeChange, readTheme, type Theme } from './chart-setup.js';
import type { ShapeSource } from './shape-source.js';

/**
 * What one chart shows, taken off the shape when a part it draws has changed (at most every FLUSH_MS):
 * the view drives both the canvas and its text alternative, so they always say the same.
 */
export function useShapeView<V>(source: ShapeSource, parts: readonly ShapePart[], read: () => V): ShallowRef<V> {
  const view = shallowRef(read());
  watch(source.tick, () => {
    const changed = source.changed();
    if (parts.some((part) => changed.has(part))) view.value = read();
  });
  return view;
}

const NARROW = '(max-width: 480px)';

/**
 * A chart.js chart on `canvas`, drawn from `view`: built once, then given new data and options with
 * `update('none')` (no animation, no rebuilding) whenever the view changes, but only while it is on
 * screen: one scrolled out of sight is brought up to date when it comes back (its text alternative
 * follows the view regardless). Built again with the new colours when the colour scheme changes.
 */
export function useChart<V, T extends ChartType>(canvas: Ref<HTMLCanvasElement | undefined>, view: Ref<V>, configure: (view: V, theme: Theme, narrow: boolean) => ChartConfiguration<T>): void {
  let chart: Chart<T> | null = null;
  let theme: Theme;
  let onScreen = true;
  let stale = false;
  let observer: IntersectionObserver | null = null;
  const narrow = () => window.matchMedia(NARROW).matches;

  function build(): void {
    chart?.destroy();
    theme = readTheme();
    applyDefaults(theme);
    if (canvas.value) chart = new Chart(canvas.value, configure(view.value, theme, narrow()));
  }

  function refresh(): void {
    if (!chart) return;
    if (!onScreen) {
      stale = true;
      return;
    }
    stale = false;
    const next = configure(view.value, theme, narrow());
    chart.data = next.data;
    if (next.options) chart.options = next.options;
    chart.update('none');
  }

  let stopScheme = () => {};
  const narrowQuery = window.matchMedia(NARROW);
  onMounted(() => {
    build();
    stopScheme = onSchemeChange(build);
    narrowQuery.addEventListener('change', refresh);
    if (canvas.value && typeof IntersectionObserver !== 'undefined') {
      observer = new IntersectionObserver(([entry]) => {
        onScreen = entry.isIntersecting;
        if (onScreen && stale) refresh();
      });
      observer.observe(canvas.value);
    }
  });
  watch(view, refresh);
  onUnmounted(() => {
    stopScheme();
    observer?.disconnect();
    narrowQuery.removeEventListener('change', refresh);
    chart?.destroy();
    chart = null;
  });
}
