// A CPU profile of the page while scrolling a seeded room, self and total time by function (a tool for
// the page bench). Run: npx tsx bench/page/profile.ts 2000   (WHOLE=1: sorted by new, the whole room;
// NOSCROLL=1: load only; PLAIN=1: an unminified build in a temporary folder, so names are readable;
// SLOWDOWN=4: the CPU throttled fourfold, a slower machine or a busy one)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClient } from '../../tests/helpers/build-client.js';
import { launchChromium } from '../../tests/helpers/browser.js';
import { startTestServer } from '../../tests/helpers/server.js';
import { scrollToBottom } from './measure.js';
import { newReader, openRoom, sortByNew } from './reader.js';
import { seedRoom } from './seed.js';

async function plainBuild(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'debate-plain-'));
  const { build } = await import('vite');
  const configFile = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));
  await build({ configFile, logLevel: 'warn', mode: 'production', build: { outDir, minify: false, emptyOutDir: true } });
  return outDir;
}

const dist = process.env.PLAIN ? await plainBuild() : await buildClient();
const server = await startTestServer({ staticDir: dist });
const browser = await launchChromium();
const room = await seedRoom(server.url, Number(process.argv[2] ?? 500));
const { context, page } = await newReader(browser, room.roomId);
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
if (process.env.SLOWDOWN) await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.SLOWDOWN) });
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await openRoom(page, server.url, room.roomId);
await page.waitForTimeout(500);
if (process.env.WHOLE) await sortByNew(page);
// Where the main thread's time went, by kind (script, style, layout), beside the JS profile, whose
// "(program)" covers all the native work without saying which.
await cdp.send('Performance.enable');
const metrics = async () => new Map<string, number>(((await cdp.send('Performance.getMetrics')) as any).metrics.map((m: any) => [m.name, m.value as number]));
const before = await metrics();
await cdp.send('Profiler.start');
if (!process.env.NOSCROLL) console.log(JSON.stringify(await scrollToBottom(page, process.env.WHOLE ? 200 : 80, 600_000)));
else await page.waitForTimeout(1500);
const { profile } = (await cdp.send('Profiler.stop')) as any;
const after = await metrics();
const spent = (key: string) => `${key.replace('Duration', '')} ${((after.get(key)! - before.get(key)!) * 1000).toFixed(0)} ms`;
console.log(['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'].map(spent).join(', '));
console.log(`layouts ${after.get('LayoutCount')! - before.get('LayoutCount')!}, style recalcs ${after.get('RecalcStyleCount')! - before.get('RecalcStyleCount')!}`);

const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
const name = (n: any) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
/** The functions on a sampled stack, each once (recursion counted once), for total time. */
function stackOf(id: number): Set<string> {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) seen.add(name(byId.get(at)));
  return seen;
}
const dt = profile.timeDeltas as number[];
const self = new Map<string, number>();
const total = new Map<string, number>();
profile.samples.forEach((id: number, i: number) => {
  const us = dt[i] ?? 0;
  self.set(name(byId.get(id)), (self.get(name(byId.get(id))) ?? 0) + us);
  for (const key of stackOf(id)) total.set(key, (total.get(key) ?? 0) + us);
});
// Busy stretches: runs of samples with no idle between them. Those over 50 ms are the long tasks the
// bench counts; what ran inside them is what to make cheaper.
const inLong = new Map<string, number>();
const stretches: number[] = [];
let stretch: { id: number; us: number }[] = [];
const closeStretch = () => {
  const us = stretch.reduce((sum, sample) => sum + sample.us, 0);
  if (us >= 50_000) {
    stretches.push(us / 1000);
    for (const sample of stretch) for (const key of stackOf(sample.id)) inLong.set(key, (inLong.get(key) ?? 0) + sample.us);
  }
  stretch = [];
};
profile.samples.forEach((id: number, i: number) => {
  if (byId.get(id).callFrame.functionName === '(idle)') closeStretch();
  else stretch.push({ id, us: dt[i] ?? 0 });
});
closeStretch();
const top = (map: Map<string, number>, n: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n');
console.log(`self time\n${top(self, 30)}\n\ntotal time\n${top(total, Number(process.env.TOTALS ?? 40))}`);
const longest = stretches.sort((a, b) => b - a).slice(0, 10).map((ms) => ms.toFixed(0)).join(', ');
console.log(`\nbusy stretches over 50 ms: ${stretches.length} (longest ${longest} ms); total time inside them\n${top(inLong, 50)}`);
await browser.close();
await server.close();
