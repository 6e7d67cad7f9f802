// Page benchmark of the record: a 20,000-event room (imported from a generated export through
// POST /api/rooms/import), opened in headless Chromium by a viewer who opens its replay and seeks
// about. Records how long the record takes to load, and each seek: from moving the timeline to the
// frame that shows the room as it stood then; then again with the CPU slowed fourfold.
// Run: npx tsx bench/page/replay-seek.ts [events]   Writes bench/page/replay-results.json and .md.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildClient } from '../../tests/helpers/build-client.js';
import { CHROMIUM_PATH, launchChromium } from '../../tests/helpers/browser.js';
import { startTestServer } from '../../tests/helpers/server.js';
import { newReader } from './reader.js';
import { bigRoomExport } from './replay-room.js';

const EVENTS = Number(process.argv[2] ?? 20_000);
const SEEKS = 60;
const SLOWDOWN = 4;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

interface SeekFigures {
  /** Replay button → the timeline on screen, the whole log loaded (ms). */
  loadMs: number;
  /** Seeks, ms each, in the order made. */
  seeksMs: number[];
  p50: number;
  p95: number;
  max: number;
  posts: number;
  heapMb: number | null;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function measure(browser: Browser, serverUrl: string, roomId: string, slowdown: number): Promise<SeekFigures> {
  const { context, page } = await newReader(browser, roomId);
  try {
    if (slowdown > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    await page.goto(`${serverUrl}/r/${roomId}`);
    await page.locator('article[data-post-id]').first().waitFor({ state: 'attached', timeout: 60_000 });
    const started = Date.now();
    await page.getByRole('button', { name: 'Replay the debate' }).click();
    await page.locator('[data-replay]').waitFor({ timeout: 120_000 });
    const loadMs = Date.now() - started;
    // The checkpoints are taken in the background after loading; give them time, as a reader would take to start seeking.
    await page.waitForTimeout(3_000 * slowdown);
    const targets = Array.from({ length: SEEKS }, (_, i) => 1 + Math.floor((((i * 7_919) % SEEKS) / SEEKS) * (EVENTS - 1)));
    const seeksMs: number[] = [];
    for (const seq of targets) {
      const ms = await page.evaluate(async (to) => {
        const input = document.querySelector<HTMLInputElement>('[data-scrubber]')!;
        const t0 = performance.now();
        input.value = String(to);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // Until the frame after the page shows that moment (Vue renders before the next frame).
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        const shown = document.querySelector('[data-moment]')?.textContent ?? '';
        if (!shown.includes(`event ${to.toLocaleString()} of`)) throw new Error(`seek to ${to} shows "${shown}"`);
        return performance.now() - t0;
      }, seq);
      seeksMs.push(Math.round(ms * 10) / 10);
      await page.waitForTimeout(100);
    }
    const posts = await page.locator('[data-replay-post]').count();
    const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null);
    const sorted = [...seeksMs].sort((a, b) => a - b);
    return { loadMs, seeksMs, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1)!, posts, heapMb: heap === null ? null : Math.round(heap / 2 ** 20) };
  } finally {
    await context.close();
  }
}

async function main() {
  const dist = await buildClient();
  const server = await startTestServer({ staticDir: dist });
  const browser = await launchChromium();
  try {
    const doc = bigRoomExport(EVENTS);
    const body = JSON.stringify(doc);
    const t0 = Date.now();
    const res = await fetch(`${server.url}/api/rooms/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${await res.text()}`);
    const { roomId } = (await res.json()) as { roomId: string };
    const importMs = Date.now() - t0;
    console.log(`imported ${EVENTS} events (${(body.length / 2 ** 20).toFixed(1)} MB) in ${importMs} ms`);
    const normal = await measure(browser, server.url, roomId, 1);
    console.log('seeks:', JSON.stringify({ ...normal, seeksMs: undefined }));
    const slowed = await measure(browser, server.url, roomId, SLOWDOWN);
    console.log(`seeks, CPU ${SLOWDOWN}× slower:`, JSON.stringify({ ...slowed, seeksMs: undefined }));
    const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', chromium: CHROMIUM_PATH, node: process.version, at: new Date().toISOString() };
    writeFileSync(here('./replay-results.json'), JSON.stringify({ machine, events: EVENTS, exportBytes: body.length, importMs, normal, slowed }, null, 2) + '\n');
    const row = (label: string, f: SeekFigures) => `| ${label} | ${f.loadMs} ms | ${f.p50} ms | ${f.p95} ms | ${f.max} ms | ${f.posts} | ${f.heapMb ?? '–'} MB |`;
    writeFileSync(
      here('./replay-results.md'),
      [
        '# Page benchmark: seeking in a big room’s replay',
        '',
        `Headless Chromium, 1280×900, against the real server on this machine (${machine.cpus} × ${machine.cpu}, Node ${machine.node}), ${machine.at}.`,
        `A ${EVENTS.toLocaleString('en-US')}-event room (a generated export of ${(body.length / 2 ** 20).toFixed(1)} MB, imported in ${(importMs / 1000).toFixed(1)} s) is opened by a viewer,`,
        'who opens its replay (the whole log loads, page by page) and moves the timeline to 60 moments spread over it. A seek is',
        'timed from setting the timeline to the frame after the page shows that moment (the thread tree, the summary and',
        'the moment line all as they stood then). Then the same with Chromium’s CPU throttled 4×.',
        '',
        '| | load the record | seek p50 | seek p95 | seek max | posts on the page | JS heap |',
        '|---|---|---|---|---|---|---|',
        row('as is', normal),
        row(`CPU ${SLOWDOWN}× slower`, slowed),
        '',
      ].join('\n'),
    );
    console.log(`wrote ${here('./replay-results.md')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
