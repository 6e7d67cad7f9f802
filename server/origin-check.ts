import type { IncomingMessage } from 'node:http';

/** Why a socket request may not go ahead, or null when it may. */
export type OriginCheck = (request: Pick<IncomingMessage, 'headers'>) => string | null;

const REFUSAL = 'Pages from another site may not connect to this server: open the debate at its own address.';

/**
 * Which pages may open a socket. Websockets are not bound by the same-origin policy, so without this any
 * site could make its visitors' browsers join rooms (with their addresses, from their machines). A browser
 * always sends Origin on a cross-site websocket or XHR and a page cannot forge it, so:
 *
 * - no Origin header: not a browser (tests, the bench, scripts, which could forge anything anyway): let in;
 * - `allowed` empty (the default): the page's host must be the Host the browser asked for, i.e. a page
 *   this server (or a proxy that forwards Host) served;
 * - `allowed` given: exactly those origins. The server's own host is then not enough, which also shuts out
 *   DNS rebinding (a hostile name pointed at this server, where Origin and Host agree).
 *
 * The refusal never echoes the Origin: Engine.IO writes it into the HTTP answer as it is.
 */
export function originCheck(allowed: readonly string[] = []): OriginCheck {
  const allowedOrigins = new Set(allowed.map((origin) => canonicalOrigin(origin) ?? origin));
  return ({ headers }) => {
    if (headers.origin === undefined) return null;
    const origin = canonicalOrigin(headers.origin);
    if (origin === null) return REFUSAL;
    if (allowedOrigins.size > 0) return allowedOrigins.has(origin) ? null : REFUSAL;
    return sameHost(origin, headers.host) ? null : REFUSAL;
  };
}

/** `HTTPS://Debate.Example:443/` → `https://debate.example`; null for opaque origins ("null") and non-web schemes. */
function canonicalOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Whether the Host header names the origin's host and port (a default port may be written or left out). */
function sameHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  const page = new URL(origin);
  try {
    const asked = new URL(`${page.protocol}//${host}`);
    return asked.host === page.host && asked.pathname === '/' && !asked.username;
  } catch {
    return false;
  }
}

/**
 * `ALLOWED_ORIGINS="https://debate.example, http://localhost:5173"` → the canonical origins.
 * Throws on an entry that is not an http(s) origin (a path or a bare host name would never match).
 */
export function parseAllowedOrigins(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const origin = canonicalOrigin(entry);
      const url = origin === null ? null : new URL(entry);
      if (!url || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
        throw new Error(`"${entry}" is not an origin like https://debate.example (scheme and host, an optional port, no path)`);
      }
      return origin!;
    });
}
