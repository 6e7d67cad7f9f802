import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useSocket } from '../socket.js';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** After this many failed reconnects in a row we stop saying "reconnecting" and admit we are offline. */
const OFFLINE_AFTER_FAILURES = 4;

export const useConnectionStore = defineStore('connection', () => {
  const socket = useSocket();
  const connected = ref(socket.connected);
  const everConnected = ref(socket.connected);
  const browserOnline = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
  const failures = ref(0);

  socket.on('connect', () => {
    connected.value = true;
    everConnected.value = true;
    failures.value = 0;
  });
  socket.on('disconnect', () => {
    connected.value = false;
  });
  socket.on('connect_error', () => {
    failures.value++;
  });

  if (typeof window !== 'undefined') {
    window.addEventListener('offline', () => {
      browserOnline.value = false;
      // An open WebSocket can linger for a ping interval after the network is gone (engine.io only
      // reacts to "offline" off localhost). Closing the transport now starts reconnection at once.
      if (socket.connected) socket.io.engine?.close();
    });
    window.addEventListener('online', () => {
      browserOnline.value = true;
      failures.value = 0;
    });
  }

  const status = computed<ConnectionStatus>(() => {
    if (connected.value) return 'connected';
    if (!browserOnline.value || failures.value >= OFFLINE_AFTER_FAILURES) return 'offline';
    return everConnected.value ? 'reconnecting' : 'connecting';
  });

  return { status, connected, browserOnline };
});
