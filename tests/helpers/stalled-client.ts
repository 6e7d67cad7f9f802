import type { Socket as NetSocket } from 'node:net';
import WebSocket from 'ws';

/** A bare Socket.IO client over `ws`, so a test can stop reading (as an attacker would) and keep asking. */
export class StalledClient {
  private nextId = 0;
  private waiting = new Map<number, () => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, binary: boolean) => {
      const text = binary ? '' : data.toString();
      if (text === '2') ws.send('3');
      const ack = /^4(?:3|6\d+-)(\d+)/.exec(text);
      if (ack) this.waiting.get(Number(ack[1]))?.();
    });
  }

  static open(url: string): Promise<StalledClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    return new Promise((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', function opened(data: Buffer) {
        if (data.toString().startsWith('0')) ws.send('40');
        else if (data.toString().startsWith('40')) {
          ws.off('message', opened);
          resolve(new StalledClient(ws));
        }
      });
    });
  }

  request(event: string, payload: unknown): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.emit(event, payload, id);
    });
  }

  emit(event: string, payload: unknown, id = this.nextId++): void {
    this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
  }

  stopReading(): void {
    (this.ws as unknown as { _socket: NetSocket })._socket.pause();
  }

  close(): void {
    this.ws.terminate();
  }
}
