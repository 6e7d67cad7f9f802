// A Chromium trace of the page while scrolling a seeded room, for the native work a JS profile shows
// only as "(program)": inside each long task, time by trace event (script, style, layout, paint,
// observers…), self time, summed. A tool for the page bench.
// Run: npx tsx bench/page/trace.ts 2000 [seconds]   (WHOLE=1: sorted by new; SLOWDOWN=4: CPU throttled)
import { buildClient } from '../../tests/helpers/build-client.js';
import { launchChromium } from '../../tests/helpers/browser.js';
import { startTestServer } from '../../tests/helpers/server.js';
import { scrollToBottom } from './measure.js';
import { newReader, openRoom, sortByNew } from './reader.js';
import { seedRoom } from './seed.js';

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tid: number; pid: number; args?: any }

const seconds = Number(process.argv[3] ?? 20);
const server = await startTestServer({ staticDir: await buildClient() });
const browser = await launchChromium();
const room = await seedRoom(server.url, Number(process.argv[2] ?? 2000));
const { context, page } = await newReader(browser, room.roomId);
const cdp = await context.newCDPSession(page);
if (process.env.SLOWDOWN) await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.SLOWDOWN) });
await openRoom(page, server.url, room.roomId);
await page.waitForTimeout(500);
if (process.env.WHOLE) await sortByNew(page);

const events: TraceEvent[] = [];
cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
console.log(JSON.stringify(await scrollToBottom(page, process.env.WHOLE ? 200 : 80, seconds * 1000)));
await cdp.send('Tracing.end');
await done;
await browser.close();
await server.close();

// The renderer's main thread: where the long tasks are.
const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((t) => t.tid === e.tid && t.name === 'RunTask' && (t.dur ?? 0) > 50_000));
const onMain = events.filter((e) => e.ph === 'X' && e.tid === main?.tid && e.pid === main?.pid).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
const long = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) >= 50_000);
const selfByName = new Map<string, number>();
const anatomy: { ms: number; parts: string }[] = [];
// One pass over the main thread's events, sorted by start: those inside a long task, with self time
// (an event's duration less that of the events directly inside it).
let at = 0;
for (const task of long) {
  const end = task.ts + task.dur!;
  while (at < onMain.length && onMain[at].ts < task.ts) at++;
  const stack: TraceEvent[] = [];
  const parts = new Map<string, number>();
  const add = (name: string, us: number) => parts.set(name, (parts.get(name) ?? 0) + us);
  for (; at < onMain.length && onMain[at].ts < end; at++) {
    const e = onMain[at];
    if (e === task || e.ts + (e.dur ?? 0) > end) continue;
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur! <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) add(parent.name, -e.dur!);
    add(e.name, e.dur!);
    stack.push(e);
  }
  for (const [name, us] of parts) selfByName.set(name, (selfByName.get(name) ?? 0) + us);
  anatomy.push({ ms: task.dur! / 1000, parts: [...parts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([name, us]) => `${name} ${(us / 1000).toFixed(0)}`).join(', ') });
}
console.log('the longest tasks:');
for (const task of anatomy.sort((a, b) => b.ms - a.ms).slice(0, 8)) console.log(`${task.ms.toFixed(0).padStart(5)} ms: ${task.parts}`);
const total = long.reduce((sum, task) => sum + task.dur!, 0);
console.log(`long tasks ${long.length}, ${(total / 1000).toFixed(0)} ms, longest ${(Math.max(0, ...long.map((t) => t.dur!)) / 1000).toFixed(0)} ms; self time inside them by event:`);
const accounted = [...selfByName.values()].reduce((sum, us) => sum + us, 0);
console.log(`${((total - accounted) / 1000).toFixed(0).padStart(7)} ms  (the tasks' own time; with SLOWDOWN mostly the throttle's pauses)`);
for (const [name, us] of [...selfByName].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
