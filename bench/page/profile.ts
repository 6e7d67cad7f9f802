// A CPU profile of the page while scrolling a seeded room, self time by function (a tool for the page
// bench). Run: npx tsx bench/page/profile.ts 2000   (WHOLE=1: sorted by new, the whole room; NOSCROLL=1: load only)
import { buildClient } from '../../tests/helpers/build-client.js';
import { launchChromium } from '../../tests/helpers/browser.js';
import { startTestServer } from '../../tests/helpers/server.js';
import { PROBE, scrollToBottom } from './measure.js';
import { seedRoom } from './seed.js';

const dist = await buildClient();
const server = await startTestServer({ staticDir: dist });
const browser = await launchChromium();
const room = await seedRoom(server.url, Number(process.argv[2] ?? 500));
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
await context.addInitScript(([id]) => localStorage.setItem(`debate:room:${id}`, JSON.stringify({ token: '', role: 'viewer' })), [room.roomId]);
await context.addInitScript(PROBE);
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await page.goto(`${server.url}/r/${room.roomId}`);
await page.waitForFunction(() => (window as any).__firstPost !== null);
await page.waitForTimeout(500);
if (process.env.WHOLE) await page.getByRole('button', { name: 'New', exact: true }).click();
await cdp.send('Profiler.start');
if (!process.env.NOSCROLL) console.log(JSON.stringify(await scrollToBottom(page))); else await page.waitForTimeout(1500);
const { profile } = (await cdp.send('Profiler.stop')) as any;
const self = new Map<string, number>();
const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas as number[];
const counts = new Map<number, number>();
profile.samples.forEach((id: number, i: number) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
for (const [id, us] of counts) {
  const n = byId.get(id);
  const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
  self.set(key, (self.get(key) ?? 0) + us);
}
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
await browser.close();
await server.close();
