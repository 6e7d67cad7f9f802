// Page-scale benchmark: rooms of 500 and 5,000 posts seeded through real sockets against the real
// server, opened in headless Chromium. Records the time to the first post on screen and long tasks
// while scrolling to the bottom: first the room as it opens (the first window, 'old' order), then
// the whole room ('new' order, older threads paged in on demand as the reader nears the end), and the
// whole room again in a fresh page with the CPU slowed fourfold (a slower device, or a busy machine).
// Run: npx tsx bench/page/run.ts [sizes…]   Writes bench/page/results.json and results.md.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildClient } from '../../tests/helpers/build-client.js';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../../tests/helpers/browser.js';
import { startTestServer } from '../../tests/helpers/server.js';
import { scrollToBottom, type ScrollFigures } from './measure.js';
import { newReader, openRoom, sortByNew } from './reader.js';
import { seedRoom } from './seed.js';

interface SizeResult {
  posts: number;
  threads: number;
  seedMs: number;
  /** Navigation start → first post visible in the viewport. */
  firstPostMs: number;
  firstContentfulPaintMs: number | null;
  /** Long tasks from navigation until the first post showed. */
  longTasksToFirstPost: number;
  postsAtFirstRender: number;
  openWindow: ScrollFigures;
  wholeRoom: ScrollFigures;
  /** The whole room in a fresh page, Chromium's CPU throttled by SLOWDOWN. */
  wholeRoomSlowed: ScrollFigures;
}

/** How much slower the CPU is in the last phase (Chromium's CPU throttling). */
const SLOWDOWN = 4;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [500, 5_000];

async function main() {
  const dist = await buildClient();
  const server = await startTestServer({ staticDir: dist });
  const browser = await launchChromium();
  const results: SizeResult[] = [];
  try {
    for (const size of SIZES) {
      process.stdout.write(`seeding ${size} posts… `);
      const room = await seedRoom(server.url, size);
      console.log(`${room.posts} posts in ${room.threads} threads, ${(room.seedMs / 1000).toFixed(1)} s`);
      const { context, page } = await newReader(browser, room.roomId);
      await openRoom(page, server.url, room.roomId);
      const first = await page.evaluate(() => {
        const w = window as unknown as { __firstPost: number; __long: { start: number }[] };
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
        return {
          firstPostMs: Math.round(w.__firstPost),
          firstContentfulPaintMs: fcp === null ? null : Math.round(fcp),
          longTasksToFirstPost: w.__long.filter((task) => task.start <= w.__firstPost).length,
          postsAtFirstRender: document.querySelectorAll('article[data-post-id]').length,
        };
      });
      await page.waitForTimeout(1_000);
      const openWindow = await scrollToBottom(page);
      await sortByNew(page);
      // The whole room is long (a 5,000-post room is some 800,000 px): a harder fling, 200 px a frame.
      const wholeRoom = await scrollToBottom(page, 200, 600_000);
      await context.close();
      const wholeRoomSlowed = await slowedWholeRoom(browser, server.url, room.roomId);
      const result: SizeResult = { posts: room.posts, threads: room.threads, seedMs: room.seedMs, ...first, openWindow, wholeRoom, wholeRoomSlowed };
      console.log(JSON.stringify(result));
      results.push(result);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', chromium: CHROMIUM_PATH, node: process.version, at: new Date().toISOString() };
  writeFileSync(here('./results.json'), JSON.stringify({ machine, results }, null, 2) + '\n');
  writeFileSync(here('./results.md'), report(machine, results));
  console.log(`wrote ${here('./results.md')}`);
}

async function slowedWholeRoom(browser: Browser, serverUrl: string, roomId: string): Promise<ScrollFigures> {
  const { context, page } = await newReader(browser, roomId);
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
    await openRoom(page, serverUrl, roomId);
    await page.waitForTimeout(1_000);
    await sortByNew(page);
    return await scrollToBottom(page, 200, 600_000);
  } finally {
    await context.close();
  }
}

function report(machine: { cpus: number; cpu: string; node: string; at: string }, results: SizeResult[]): string {
  const row = (label: string, pick: (r: SizeResult) => string | number) => `| ${label} | ${results.map((r) => pick(r)).join(' | ')} |`;
  const scroll = (name: string, key: 'openWindow' | 'wholeRoom' | 'wholeRoomSlowed') => [
    row(`${name}: posts loaded / on the page at the end`, (r) => `${r[key].postsLoaded} / ${r[key].postsRendered}`),
    row(`${name}: scroll time to the bottom`, (r) => `${(r[key].durationMs / 1000).toFixed(1)} s`),
    row(`${name}: long tasks (count / total / longest)`, (r) => `${r[key].longTasks} / ${r[key].longTaskTotalMs} ms / ${r[key].longTaskMaxMs} ms`),
    row(`${name}: frames over 50 ms / frames`, (r) => `${r[key].slowFrames} / ${r[key].frames}`),
  ];
  return [
    '# Page benchmark: a big room in Chromium',
    '',
    `Headless Chromium, 1280×900, against the real server on this machine (${machine.cpus} × ${machine.cpu}, Node ${machine.node}), ${machine.at}.`,
    'Rooms are seeded through real sockets (threads of 10 posts, replies three levels deep, stances and reactions).',
    'The reader opens the room as a returning viewer (no join form). "First post" is navigation start to the first post',
    'inside the viewport. Then the reader scrolls to the bottom: first the room as it opens (its first window of threads,',
    'oldest first) at 80 px a frame, then, sorted by new, the whole room at 200 px a frame, older threads paged in as the',
    'end nears. Threads are rendered as the reader nears them and parked (an empty box of their height) once far away;',
    "a thread's replies unfold over the next frames, a few milliseconds of rendering a frame. Last, the whole room again",
    `in a fresh page with Chromium's CPU throttled ${SLOWDOWN}× (a slower device, or this machine when busy).`,
    '',
    `| | ${results.map((r) => `${r.posts} posts`).join(' | ')} |`,
    `|---|${results.map(() => '---').join('|')}|`,
    row('first contentful paint', (r) => `${r.firstContentfulPaintMs ?? '–'} ms`),
    row('first post visible', (r) => `${r.firstPostMs} ms`),
    row('long tasks before the first post', (r) => r.longTasksToFirstPost),
    row('posts rendered at first', (r) => r.postsAtFirstRender),
    ...scroll('opening window', 'openWindow'),
    ...scroll('whole room', 'wholeRoom'),
    ...scroll(`whole room, CPU slowed ${SLOWDOWN}×`, 'wholeRoomSlowed'),
    '',
    'A long task is 50 ms or more on the main thread (PerformanceObserver "longtask").',
    '',
  ].join('\n');
}

await main();
