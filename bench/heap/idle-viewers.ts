// Opens N raw viewers to URL, joins them to ROOM, prints 'ready' and stays until killed (for heap-per-socket.ts).
import { RawSocket } from '../lib/raw-socket.js';
const [url, roomId, n] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4])];
const sockets: RawSocket[] = [];
let next = 0;
await Promise.all(Array.from({ length: 100 }, async () => {
  while (next < n) {
    next++;
    const s = await RawSocket.open(url);
    await s.request('room:join', { roomId, role: 'viewer' });
    sockets.push(s);
  }
}));
console.log('ready', sockets.length);
setInterval(() => {}, 1 << 30);
