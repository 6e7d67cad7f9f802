/**
 * What this browser remembers for the debate views: the last thing I saw per room (for unread
 * markers), the sort and "follow live". (My own ballots come from the server: debate-ballots.ts.)
 * Like client/storage.ts it falls back to memory where localStorage is missing or refuses.
 */
const fallback = new Map<string, string>();

function backend(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    /* access denied: use memory */
  }
  return {
    getItem: (k) => fallback.get(k) ?? null,
    setItem: (k, v) => void fallback.set(k, v),
    removeItem: (k) => void fallback.delete(k),
  };
}

export function recall<T>(key: string): T | null {
  try {
    const raw = backend().getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function remember(key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) backend().removeItem(key);
    else backend().setItem(key, JSON.stringify(value));
  } catch {
    /* full or denied: the page still works, it just forgets on reload */
  }
}

export const memoryKeys = {
  seen: (roomId: string) => `debate:seen:${roomId}`,
  sort: 'debate:sort',
  followLive: 'debate:follow-live',
};

/** Tests only. */
export function forgetAll(): void {
  fallback.clear();
}
