import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Joined, Me } from '../../shared/events.js';
import { storage, type RoomMemory } from '../storage.js';

/** Who I am in the current room, and the tokens that keep me the same member across visits. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const lastName = ref(storage.lastName() ?? '');

  function memory(roomId: string): RoomMemory | null {
    return storage.room(roomId);
  }

  /** The host token from room:create, kept before the first join so a reload cannot lose it. */
  function rememberHost(roomId: string, hostToken: string): void {
    storage.setRoom(roomId, { token: hostToken, role: null, host: true });
  }

  function adopt(roomId: string, joined: Joined, role: 'participant' | 'viewer'): void {
    const before = memory(roomId);
    storage.setRoom(roomId, { token: joined.token, role, host: before?.host || joined.me.role === 'host' });
    me.value = joined.me;
    if (joined.me.name) {
      lastName.value = joined.me.name;
      storage.setLastName(joined.me.name);
    }
  }

  function forget(): void {
    me.value = null;
  }

  return { me, lastName, memory, rememberHost, adopt, forget };
});
