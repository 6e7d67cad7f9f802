import { createPinia, setActivePinia } from 'pinia';
import { io } from 'socket.io-client';
import { setSocket, type AppSocket } from '../../client/socket.js';

const opened: AppSocket[] = [];

/**
 * One "browser" for the client stores against a real server: its own socket (reconnecting quickly, like
 * the page's) and its own Pinia, made current. In Node every browser shares one storage.
 */
export function openBrowser(url: string): AppSocket {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnectionDelay: 50, reconnectionDelayMax: 200 }) as AppSocket;
  opened.push(socket);
  setSocket(socket);
  setActivePinia(createPinia());
  return socket;
}

export function closeBrowsers(): void {
  for (const socket of opened.splice(0)) socket.disconnect();
  setSocket(null);
}
