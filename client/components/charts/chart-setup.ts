import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartOptions,
  type Plugin,
} from 'chart.js';
import { Flow, SankeyController } from 'chartjs-chart-sankey';
import type { Phase } from '../../../shared/room-events.js';
import type { Camp } from '../../logic/debate-shape.js';

/**
 * chart.js with only the pieces these charts use (so the chunk stays small), and the app's colours read
 * from its CSS custom properties: the same tokens the rest of the page uses, in light and dark alike.
 * chart.js draws on a canvas and sizes it through the CSSOM, never with style attributes or injected
 * style sheets, so it runs under the page's `style-src 'self'`.
 */
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip, SankeyController, Flow);

export interface Theme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  accent: string;
  camp: Record<Camp, string>;
  stance: { support: string; rebut: string; question: string };
}

const DARK = '(prefers-color-scheme: dark)';

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const token = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: token('--text', '#1c1e21'),
    muted: token('--muted', '#555b64'),
    grid: token('--border', '#d9dce1'),
    surface: token('--surface', '#ffffff'),
    accent: token('--accent', '#2451c7'),
    camp: { for: token('--for', '#1f6f5c'), against: token('--against', '#a33a1c'), undecided: token('--undecided', '#5b6270'), none: token('--line', '#c3c8d0') },
    stance: { support: token('--support', '#1f6f5c'), rebut: token('--rebut', '#a33a1c'), question: token('--question', '#7a5a00') },
  };
}

/** Calls back whenever the colour scheme changes; returns the unsubscribe. */
export function onSchemeChange(callback: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', callback);
  return () => query.removeEventListener('change', callback);
}

/** Defaults every chart here shares: still (no animation, updates are `update('none')`), the app's font and colours. */
export function applyDefaults(theme: Theme): void {
  Chart.defaults.animation = false;
  Chart.defaults.color = theme.muted;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.position = 'bottom';
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;
  Chart.defaults.plugins.tooltip.backgroundColor = theme.text;
  Chart.defaults.plugins.tooltip.titleColor = theme.surface;
  Chart.defaults.plugins.tooltip.bodyColor = theme.surface;
}

export const CAMP_NAMES: Record<Camp, string> = { for: 'For', against: 'Against', undecided: 'Undecided', none: 'No side' };
export const STANCE_NAMES = { support: 'Supports', rebut: 'Rebuts', question: 'Questions' } as const;

export const PHASE_NAMES: Record<Phase, string> = { opening: 'Opening', open: 'Open floor', closing: 'Closing', ended: 'Ended' };

export interface PhaseLines {
  /** Where each phase began, in bins from the first (fractional). */
  marks: { phase: Phase; at: number }[];
  color: string;
}

/**
 * Phases as dashed vertical lines with their names, drawn on the canvas after the bars: chart.js has no
 * annotations of its own and a plugin package for four lines is not worth its weight.
 */
export const phaseLinesPlugin: Plugin<'bar'> = {
  id: 'phaseLines',
  afterDatasetsDraw(chart, _args, options) {
    const { marks, color } = options as unknown as PhaseLines;
    const scale = chart.scales.x;
    const bins = chart.data.labels?.length ?? 0;
    if (!marks?.length || !scale || !bins) return;
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([4, 3]);
    ctx.font = `600 11px ${Chart.defaults.font.family}`;
    ctx.textBaseline = 'top';
    // A phase is marked at the start of the bin it began in (a bar stands for its whole bin); phases
    // that began in the same bin share one line, named in order.
    const lines = new Map<number, string[]>();
    for (const mark of marks) {
      const bin = Math.min(bins - 1, Math.max(0, Math.floor(mark.at)));
      lines.set(bin, [...(lines.get(bin) ?? []), PHASE_NAMES[mark.phase]]);
    }
    let lastLabelEnd = -Infinity;
    for (const [bin, names] of lines) {
      const x = scale.left + (bin / bins) * (scale.right - scale.left);
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      // Names that would overlap the previous ones are left to the text alternative.
      const name = names.join(' → ');
      const width = ctx.measureText(name).width;
      const left = Math.min(x + 3, chartArea.right - width);
      if (left > lastLabelEnd + 4) {
        ctx.fillText(name, left, chartArea.top - 15);
        lastLabelEnd = left + width;
      }
    }
    ctx.restore();
  },
};

Chart.register(phaseLinesPlugin);

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends keyof ChartTypeRegistry> {
    phaseLines?: TType extends 'bar' ? Partial<PhaseLines> : never;
  }
}

/** A label short enough for a chart's axis at this width; the text alternative keeps the whole of it. */
export function axisLabel(text: string, narrow: boolean): string {
  const max = narrow ? 18 : 30;
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export { Chart };

/** Options for a chart of horizontal bars with post or person names on the side: whole numbers, room for the names. */
export function barsAcross(stacked: boolean): ChartOptions<'bar'> {
  return {
    indexAxis: 'y',
    scales: {
      x: { stacked, beginAtZero: true, ticks: { precision: 0 } },
      y: { stacked, grid: { display: false }, ticks: { autoSkip: false } },
    },
  };
}

/** Height for `rows` horizontal bars (and a legend, when there is one). */
export const barsHeight = (rows: number, legend = false) => 40 + 34 * Math.max(rows, 1) + (legend ? 30 : 0);
