// "Browsers" for fault tests: the real client stores (room store, outbox, log follower) on a real
// socket.io-client socket each, with what a test needs to judge them afterwards: which of its posts the
// server acknowledged and in what order, and how often it had to ask for `room:sync`.
import { Agent } from 'node:http';
import { createPinia, setActivePinia } from 'pinia';
import { io } from 'socket.io-client';
import { setSocket, type AppSocket } from '../../../client/socket.js';
import { storage, type RoomMemory } from '../../../client/storage.js';
import { useRoomStore } from '../../../client/stores/room.js';
import { useSessionStore } from '../../../client/stores/session.js';

export interface Browser {
  name: string;
  socket: AppSocket;
  room: ReturnType<typeof useRoomStore>;
  /** My post ids in the order the server first acknowledged them. */
  acks: string[];
  /** When each of my posts was first acknowledged. */
  ackedAt: Map<string, number>;
  /** Posts sent again after an ok ack (after lost history): where they land is no longer their first ack's order. */
  sentAgain: Set<string>;
  /** `room:sync` requests sent. */
  syncs: number;
  close(): void;
}

export interface BrowserOptions {
  transports?: ('polling' | 'websocket')[];
  /** The loopback address to connect from (127.x.y.z), so a balancer hashing on addresses tells browsers apart. */
  localAddress?: string;
}

const opened: Browser[] = [];

/**
 * Opens a browser and makes its Pinia current. In Node every browser shares one storage, so each keeps
 * its identity (token and role per room) in a memory of its own instead; call it before any browser
 * posts, since opening a room reads the shared list of pending posts.
 */
export function openBrowser(url: string, name: string, opts: BrowserOptions = {}): Browser {
  const agent = opts.localAddress ? new Agent({ localAddress: opts.localAddress, keepAlive: true }) : undefined;
  const socket = io(url, {
    transports: opts.transports ?? ['websocket'],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    ...(agent ? { agent: agent as never, localAddress: opts.localAddress } : {}),
  }) as AppSocket;
  setSocket(socket);
  setActivePinia(createPinia());
  storage.clearMemory();
  isolateIdentity();
  const browser: Browser = {
    name,
    socket,
    room: useRoomStore(),
    acks: [],
    ackedAt: new Map(),
    sentAgain: new Set(),
    syncs: 0,
    close() {
      socket.disconnect();
      agent?.destroy();
    },
  };
  record(browser);
  opened.push(browser);
  return browser;
}

export function closeAllBrowsers(): void {
  for (const browser of opened.splice(0)) {
    browser.room.leave();
    browser.close();
  }
  setSocket(null);
}

function isolateIdentity(): void {
  const session = useSessionStore();
  const memories = new Map<string, RoomMemory>();
  session.memory = (roomId: string) => memories.get(roomId) ?? null;
  session.adopt = (roomId, joined, role) => {
    memories.set(roomId, { token: joined.token, role });
    session.me = joined.me;
  };
}

/** Watches what the stores send: acks of post:create, and room:sync requests. */
function record(browser: Browser): void {
  const socket = browser.socket as unknown as { emit: (event: string, ...args: unknown[]) => unknown };
  const emit = socket.emit.bind(socket);
  socket.emit = (event, ...args) => {
    if (event === 'room:sync') browser.syncs++;
    const callback = args[args.length - 1];
    if (event === 'post:create' && typeof callback === 'function') {
      const id = (args[0] as { id: string }).id;
      if (browser.ackedAt.has(id)) browser.sentAgain.add(id);
      // request() uses a timeout, so the callback is (error, answer).
      args[args.length - 1] = (error: unknown, answer: { ok?: boolean } | undefined) => {
        if (!error && answer?.ok && !browser.ackedAt.has(id)) {
          browser.ackedAt.set(id, Date.now());
          browser.acks.push(id);
        }
        (callback as (...values: unknown[]) => void)(error, answer);
      };
    }
    return emit(event, ...args);
  };
}
