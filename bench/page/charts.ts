// What the charts cost per event: a reader in headless Chromium watches a seeded room while sockets post
// and react, first with the charts closed, then with them open; the main thread's extra time, divided by
// the events, is the charts' share (their aggregates, the follow-along fold, the redraws at most four a
// second). Two rhythms: a steady 20 events a second (a lively room: every redraw holds few events) and
// a burst as fast as the server takes them (many events per redraw).
// Run: npx tsx bench/page/charts.ts [posts] [events]   (defaults 300 and 300)
// Measured 2026-12 on the 2-core machine while shared (two runs, noisy): at 20 events/s the open charts
// add 3.2–6.0 ms of main thread per event (their redraws, at most four a second, dominate: about 9 ms
// each, two charts on screen at 1280×900; the aggregates take about 0.05 ms an event); in a burst
// −0.6 to +1.0 ms per event, within the noise.
import { buildClient } from '../../tests/helpers/build-client.js';
import { launchChromium } from '../../tests/helpers/browser.js';
import { connect, ok, type TestSocket } from '../../tests/helpers/client.js';
import { startTestServer } from '../../tests/helpers/server.js';
import { newReader, openRoom } from './reader.js';
import { seedRoom } from './seed.js';
import type { CDPSession } from 'playwright-core';

const posts = Number(process.argv[2] ?? 300);
const events = Number(process.argv[3] ?? 300);

const server = await startTestServer({ staticDir: await buildClient() });
const browser = await launchChromium();
const room = await seedRoom(server.url, posts);
const writers: TestSocket[] = [];
for (let i = 0; i < 4; i++) {
  const socket = await connect(server.url);
  await ok(socket, 'room:join', { roomId: room.roomId, role: 'participant', name: `Writer ${i}` });
  await ok(socket, 'side:set', { side: (['for', 'against', 'undecided', 'for'] as const)[i] });
  writers.push(socket);
}
const { context, page } = await newReader(browser, room.roomId);
const cdp: CDPSession = await context.newCDPSession(page);
await cdp.send('Performance.enable');
await openRoom(page, server.url, room.roomId);
await page.waitForTimeout(1_000);

/** Main-thread busy time (ms) while `work` runs and the page settles after it. */
async function busyDuring(work: () => Promise<void>): Promise<number> {
  const taskMs = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value ?? 0) * 1000;
  const before = await taskMs();
  await work();
  await page.waitForTimeout(1_500);
  return (await taskMs()) - before;
}

let made = 0;
/** `count` events, half new posts (replies to the seeded threads, with stances) and half reactions. */
async function send(count: number, perSecond: number | null): Promise<void> {
  for (let i = 0; i < count; i++) {
    const writer = writers[i % writers.length];
    const started = Date.now();
    if (i % 2 === 0) {
      const thread = String(made % Math.ceil(posts / 10)).padStart(5, '0');
      await ok(writer, 'post:create', { id: `bench-live-${String(made++).padStart(6, '0')}`, parentId: `b${thread}-00`, body: 'A live reply.', stance: (['support', 'rebut', 'question'] as const)[made % 3] });
    } else {
      // A reaction to the post just made: always new, so always an event.
      await ok(writer, 'reaction:set', { postId: `bench-live-${String(made - 1).padStart(6, '0')}`, emoji: '🔥', on: true });
    }
    if (perSecond) await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / perSecond - (Date.now() - started))));
  }
}

const results: Record<string, number> = {};
let coverage = '';
for (const [rhythm, perSecond] of [['steady 20/s', 20], ['burst', null]] as const) {
  const closed = await busyDuring(() => send(events, perSecond));
  await page.getByRole('button', { name: 'Charts' }).click();
  await page.locator('[data-chart="posts"] canvas').waitFor();
  await page.waitForTimeout(1_500);
  coverage = (await page.locator('[data-charts-coverage]').textContent())!.trim();
  const open = await busyDuring(() => send(events, perSecond));
  await page.keyboard.press('Escape');
  await page.waitForTimeout(500);
  results[`${rhythm}: closed ms/event`] = closed / events;
  results[`${rhythm}: open ms/event`] = open / events;
  results[`${rhythm}: charts' share ms/event`] = (open - closed) / events;
}
console.log(JSON.stringify({ posts: room.posts, eventsPerPhase: events, coverage, ...Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) }, null, 2));
for (const socket of writers) socket.disconnect();
await browser.close();
await server.close();
