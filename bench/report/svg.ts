import type { Phase } from '../scenarios/session.js';
import { loadRows } from './summary.js';
import type { RunResults } from './types.js';

interface Series {
  name: string;
  color: string;
  dash: string;
  points: { x: number; y: number }[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Offered load as % of the baseline's capacity for the same audience. */
const percentOf = (capacityWps: number) => (phase: Phase) => ({ x: (100 * phase.offeredWritesPerSec) / capacityWps, y: phase.latency.p99 });

/** p99 post-to-viewer latency against offered load: app and baseline per audience, plus Redis and coalesced. */
export function latencySvg(results: RunResults): string {
  const series: Series[] = [];
  results.fanout.forEach((size, i) => {
    // The load levels and the overload only (the body-size phases are not on this axis).
    const rows = loadRows(size).filter((row) => /^(\d+%|sat)$/.test(row.label));
    const x = (wps: number) => (100 * wps) / size.capacity.writesPerSec;
    const color = COLORS[i % COLORS.length]!;
    series.push({ name: `app, ${size.viewers} viewers`, color, dash: '', points: rows.map((r) => ({ x: x(r.writesPerSec), y: r.app.p99 })) });
    series.push({ name: `baseline, ${size.viewers} viewers`, color, dash: '6 4', points: rows.map((r) => ({ x: x(r.writesPerSec), y: r.baseline.p99 })) });
  });
  const capacityFor = (viewers: number | undefined) => results.fanout.find((s) => s.viewers === viewers)?.capacity.writesPerSec ?? NaN;
  if (results.redis && 'phases' in results.redis) {
    const cap = capacityFor(results.redis.phases[0]?.viewers);
    series.push({ name: `app + Redis, ${results.redis.phases[0]?.viewers} viewers`, color: COLORS[2]!, dash: '2 3', points: results.redis.phases.map(percentOf(cap)) });
  }
  if (results.coalescing) {
    const cap = results.coalescing.capacityWps;
    series.push({ name: `app, COALESCE_MS=${results.coalescing.windowMs}, ${results.coalescing.phases[0]?.viewers} viewers`, color: COLORS[3]!, dash: '', points: results.coalescing.phases.map(percentOf(cap)) });
  }
  for (const s of series) s.points = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && p.y > 0).sort((a, b) => a.x - b.x);

  const W = 820, H = 440, left = 70, right = 300, top = 40, bottom = 50;
  const plotW = W - left - right, plotH = H - top - bottom;
  const all = series.flatMap((s) => s.points);
  const maxX = Math.max(100, ...all.map((p) => p.x)) * 1.05;
  const minY = Math.max(0.1, 10 ** Math.floor(Math.log10(Math.min(...all.map((p) => p.y), 10))));
  const maxY = 10 ** Math.ceil(Math.log10(Math.max(...all.map((p) => p.y), 100)));
  const sx = (x: number) => left + (x / maxX) * plotW;
  const sy = (y: number) => top + plotH - ((Math.log10(y) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY))) * plotH;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${left}" y="22" font-size="15" font-weight="bold">p99 write-to-viewer latency vs offered load (${escape(results.meta.mode)} run)</text>`);
  for (let decade = minY; decade <= maxY; decade *= 10) {
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${sy(decade)}" y2="${sy(decade)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 8}" y="${sy(decade) + 4}" text-anchor="end">${decade >= 1 ? decade : decade.toFixed(1)} ms</text>`);
  }
  const step = maxX > 250 ? 50 : 25;
  for (let x = 0; x <= maxX; x += step) {
    parts.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${top}" y2="${top + plotH}" stroke="#eee"/>`);
    parts.push(`<text x="${sx(x)}" y="${top + plotH + 18}" text-anchor="middle">${x}%</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${H - 10}" text-anchor="middle">offered load, % of the baseline's measured capacity (same audience); 200 % is the overload phase</text>`);
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const path = s.points.map((p, j) => `${j ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>`);
    for (const p of s.points) parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${s.color}"><title>${escape(s.name)}: ${p.x.toFixed(0)}% → ${p.y.toFixed(1)} ms</title></circle>`);
    const ly = top + 10 + i * 20;
    parts.push(`<line x1="${left + plotW + 12}" x2="${left + plotW + 40}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"/>`);
    parts.push(`<text x="${left + plotW + 46}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
