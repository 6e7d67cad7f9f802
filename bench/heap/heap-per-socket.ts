/**
 * What the app's heap keeps per idle viewer, by constructor: the app in this process (limits open), N raw
 * viewers joined from a child process, a heap snapshot (which collects garbage first) before and after,
 * the difference divided by N. `node --expose-gc --import tsx bench/heap/heap-per-socket.ts [N=2000]`.
 * Snapshots go to the temp dir. For finding what to cut; the memory scenario is the figure to report.
 */
import { spawn } from 'node:child_process';
import { writeHeapSnapshot } from 'node:v8';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../../tests/helpers/server.js';
import { connect, ok } from '../../tests/helpers/client.js';

const N = Number(process.argv[2] ?? 2000);
const server = await startTestServer({ presenceIntervalMs: 1000, connectionLimits: { maxPerAddress: 0, handshakes: { points: 0, seconds: 10 } } });
const host = await connect(server.url);
const { roomId } = await ok(host, 'room:create', { title: 'Memory probe', motion: 'x' });
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
async function clients(n: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/heap/idle-viewers.ts', server.url, roomId, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => String(d).includes('ready') && resolve()));
  return child;
}
function byName(file: string) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields as string[];
  const types = snap.snapshot.meta.node_types[0] as string[];
  const [ti, ni, si] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size')];
  const out = new Map<string, { count: number; bytes: number }>();
  const nodes = snap.nodes as number[];
  for (let i = 0; i < nodes.length; i += f.length) {
    const key = `${types[nodes[i + ti]!]}:${String(snap.strings[nodes[i + ni]!]).slice(0, 60)}`;
    const e = out.get(key) ?? { count: 0, bytes: 0 };
    e.count++; e.bytes += nodes[i + si]!;
    out.set(key, e);
  }
  return out;
}
const warm = await clients(50);
await new Promise((r) => setTimeout(r, 1500));
warm.kill('SIGKILL');
await new Promise((r) => setTimeout(r, 1500));
gc(); gc();
const before = { heap: process.memoryUsage().heapUsed, ext: process.memoryUsage().external + process.memoryUsage().arrayBuffers };
const snap0 = writeHeapSnapshot(join(tmpdir(), 'heap-per-socket-before.heapsnapshot'));
const child = await clients(N);
await new Promise((r) => setTimeout(r, 3000));
gc(); gc();
const after = { heap: process.memoryUsage().heapUsed, ext: process.memoryUsage().external + process.memoryUsage().arrayBuffers };
const snap1 = writeHeapSnapshot(join(tmpdir(), 'heap-per-socket-after.heapsnapshot'));
// RSS is left out: writing a snapshot inflates it.
console.log(`per socket: heapUsed ${((after.heap - before.heap) / N / 1024).toFixed(2)} KB, external ${((after.ext - before.ext) / N / 1024).toFixed(2)} KB`);
const [a, b] = [byName(snap0), byName(snap1)];
const rows = [...b].map(([k, v]) => ({ k, count: (v.count - (a.get(k)?.count ?? 0)) / N, bytes: (v.bytes - (a.get(k)?.bytes ?? 0)) / N })).filter((r) => r.bytes > 8).sort((x, y) => y.bytes - x.bytes);
let total = 0; for (const r of rows) total += r.bytes;
console.log(`heap per socket (snapshot) ${total.toFixed(0)} B`);
for (const r of rows.slice(0, 45)) console.log(`${r.bytes.toFixed(0).padStart(6)} B ${r.count.toFixed(2).padStart(6)}x  ${r.k}`);
child.kill('SIGKILL');
process.exit(0);
