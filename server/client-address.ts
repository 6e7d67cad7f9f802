import { isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The address a request really comes from, for limits and bans. `X-Forwarded-For` is believed only when
 * the peer that connected is one of `trustedProxies` (a forged header from anyone else is ignored); then
 * the rightmost entry that is not itself a trusted proxy is the client. IPv6 clients are keyed by their
 * /64, since anyone with one address has the whole /64 for free.
 */
export function clientAddress(request: Pick<IncomingMessage, 'headers' | 'socket'>, trustedProxies: ReadonlySet<string>): string {
  let address = normalise(request.socket.remoteAddress ?? '');
  if (trustedProxies.has(address)) {
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => normalise(hop.trim())).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      address = hops[i]!;
      if (!trustedProxies.has(address)) break;
    }
  }
  return addressKey(address);
}

/** '::ffff:1.2.3.4' is the IPv4 client 1.2.3.4. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function addressKey(address: string): string {
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => parseInt(group || '0', 16).toString(16)).join(':')}::/64`;
}

/** `TRUSTED_PROXIES="127.0.0.1, ::1"` → a set of normalised addresses. */
export function parseTrustedProxies(list: string): Set<string> {
  return new Set(list.split(',').map((entry) => normalise(entry.trim())).filter(Boolean));
}
