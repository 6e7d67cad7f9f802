import { createPinia, setActivePinia } from 'pinia';
import { io } from 'socket.io-client';
import { vi } from 'vitest';
import type { AppSocket } from '../../client/socket.js';
import type { useConnectionStore } from '../../client/stores/connection.js';
import type { useDebateStore } from '../../client/stores/debate.js';
import type { useModerationStore } from '../../client/stores/moderation.js';
import type { useRoomStore } from '../../client/stores/room.js';
import type { useSessionStore } from '../../client/stores/session.js';

export interface IsolatedBrowser {
  socket: AppSocket;
  room: ReturnType<typeof useRoomStore>;
  moderation: ReturnType<typeof useModerationStore>;
  session: ReturnType<typeof useSessionStore>;
  debate: ReturnType<typeof useDebateStore>;
  connection: ReturnType<typeof useConnectionStore>;
}
const opened: IsolatedBrowser[] = [];

/**
 * A "browser" for the client stores against a real server, with its own copy of every client module:
 * its own storage (so its own identity token), its own socket, its own Pinia and stores. Unlike
 * store-browser.ts, several of these can be in one room at once as different people.
 */
export async function openIsolatedBrowser(url: string): Promise<IsolatedBrowser> {
  vi.resetModules();
  const socketModule = await import('../../client/socket.js');
  const { useRoomStore } = await import('../../client/stores/room.js');
  const { useModerationStore } = await import('../../client/stores/moderation.js');
  const { useSessionStore } = await import('../../client/stores/session.js');
  const { useDebateStore } = await import('../../client/stores/debate.js');
  const { useConnectionStore } = await import('../../client/stores/connection.js');
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 }) as AppSocket;
  socketModule.setSocket(socket);
  const pinia = createPinia();
  setActivePinia(pinia);
  const browser: IsolatedBrowser = {
    socket,
    room: useRoomStore(),
    moderation: useModerationStore(),
    session: useSessionStore(),
    debate: useDebateStore(),
    connection: useConnectionStore(),
  };
  opened.push(browser);
  return browser;
}


export function closeIsolatedBrowsers(): void {
  for (const browser of opened.splice(0)) {
    browser.room.leave();
    browser.socket.disconnect();
  }
}
