/**
 * Re-renders the Markdown (and the chart, for a full run) from a results JSON without running anything:
 * `tsx bench/report/render.ts [bench/results/latest.json]`. For report changes, or to read an old run anew.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { markdown } from './markdown.js';
import { latencySvg } from './svg.js';
import type { RunResults } from './types.js';

const path = process.argv[2] ?? 'bench/results/latest.json';
const results = JSON.parse(readFileSync(path, 'utf8')) as RunResults;
const base = path.replace(/\.json$/, '');
writeFileSync(`${base}.md`, markdown(results));
if (results.meta.mode === 'full') writeFileSync(`${base.replace(/[^/]+$/, '')}latency.svg`, latencySvg(results));
console.log(`wrote ${base}.md${results.meta.mode === 'full' ? ' and latency.svg' : ''}`);
