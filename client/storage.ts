import type { Me } from '../shared/events.js';

/**
 * Everything this browser remembers, in one place: per room, the token (so a host who reloads is
 * still the host and a returning participant re-joins without being asked again), drafts, unsent
 * posts, how far I had read, a ban's reason; and the reader's own choices (name, sort, follow live).
 * Falls back to memory where localStorage is missing (unit tests in Node, private modes that throw
 * on access). Nothing else in the client touches localStorage.
 */
export interface RoomMemory {
  token: string;
  /** How this token last joined; null for a host token that has not joined yet. */
  role: 'participant' | 'viewer' | null;
  /** True when the token came from room:create. */
  host?: boolean;
}

const memory = new Map<string, string>();

function backend(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    /* access denied: use memory */
  }
  return {
    getItem: (k) => memory.get(k) ?? null,
    setItem: (k, v) => void memory.set(k, v),
    removeItem: (k) => void memory.delete(k),
  };
}

function read<T>(key: string): T | null {
  try {
    const raw = backend().getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) backend().removeItem(key);
    else backend().setItem(key, JSON.stringify(value));
  } catch {
    /* full or denied: the page still works, it just forgets on reload */
  }
}

const roomKey = (roomId: string) => `debate:room:${roomId}`;
const pendingKey = (roomId: string) => `debate:pending:${roomId}`;

export const storage = {
  room: (roomId: string) => read<RoomMemory>(roomKey(roomId)),
  setRoom: (roomId: string, value: RoomMemory | null) => write(roomKey(roomId), value),
  /** "Just watch" was chosen in this room: the take-part card stays folded to one line. */
  justWatching: (roomId: string) => read<boolean>(`debate:watching:${roomId}`) === true,
  setJustWatching: (roomId: string, on: boolean) => write(`debate:watching:${roomId}`, on ? true : null),
  lastName: () => read<string>('debate:name'),
  setLastName: (name: string) => write('debate:name', name),
  /** Unsent drafts of this room by reply target (see stores/drafts.ts). */
  drafts: <T>(roomId: string) => read<Record<string, T>>(`debate:drafts:${roomId}`) ?? {},
  setDrafts: (roomId: string, drafts: Record<string, unknown>) => write(`debate:drafts:${roomId}`, Object.keys(drafts).length ? drafts : null),
  pending: <T>(roomId: string) => read<T[]>(pendingKey(roomId)) ?? [],
  setPending: (roomId: string, items: unknown[]) => write(pendingKey(roomId), items.length ? items : null),
  /** How far I had read this room (see stores/unread.ts). */
  seen: <T>(roomId: string) => read<T>(`debate:seen:${roomId}`),
  setSeen: (roomId: string, mark: unknown) => write(`debate:seen:${roomId}`, mark),
  sort: () => read<string>('debate:sort'),
  setSort: (mode: string) => write('debate:sort', mode),
  followLive: () => read<boolean>('debate:follow-live') === true,
  setFollowLive: (on: boolean) => write('debate:follow-live', on),
  /** The ban's reason, kept so that a later visit (refused with a bare sentence) can still say why. */
  banReason: (roomId: string) => read<string>(`debate:banned:${roomId}`),
  setBanReason: (roomId: string, message: string | null) => write(`debate:banned:${roomId}`, message || null),
  /** Tests only: start from a clean browser. */
  clearMemory: () => memory.clear(),
};

export function roleToJoinAs(me: Me | null): 'participant' | 'viewer' {
  return me && me.role !== 'viewer' ? 'participant' : 'viewer';
}
