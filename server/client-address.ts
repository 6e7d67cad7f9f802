import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The address a request really comes from, for limits and bans. `X-Forwarded-For` is believed only when
 * the peer that connected is one of `trustedProxies` (a forged header from anyone else is ignored); then
 * the rightmost entry that is not itself a trusted proxy is the client. A hop that is not an address stops
 * the walk there (it must not become a fresh key per request). IPv6 clients are keyed by their /64, since
 * anyone with one address has the whole /64 for free.
 */
export function clientAddress(request: Pick<IncomingMessage, 'headers'> & { socket: { remoteAddress?: string } }, trustedProxies: ReadonlySet<string>): string {
  let address = canonical(request.socket.remoteAddress ?? '') ?? 'unknown';
  if (trustedProxies.has(address)) {
    const header = request.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      if (hops[i]!.trim() === '') continue;
      const hop = canonical(hops[i]!);
      if (hop === null) break;
      address = hop;
      if (!trustedProxies.has(hop)) break;
    }
  }
  return addressKey(address);
}

/**
 * One spelling per address, or null for anything that is not one: no port or brackets ("1.2.3.4:80",
 * "[::1]:443", as some proxies write hops), IPv4-mapped IPv6 as the IPv4 it is, IPv6 as eight lowercase groups.
 */
function canonical(text: string): string | null {
  let address = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.toLowerCase().split('%')[0]!; // an IPv6 zone (fe80::1%eth0) names an interface, not a client
  const kind = isIP(address);
  if (kind === 4) return address;
  if (kind !== 6) return null;
  const groups = ipv6Groups(address);
  const mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  return groups.map((group) => group.toString(16)).join(':');
}

/** A valid IPv6 address as its eight 16-bit groups (a dotted IPv4 tail is two of them). */
function ipv6Groups(address: string): number[] {
  const toGroups = (part: string) =>
    part
      ? part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number);
          return [(a! << 8) | b!, (c! << 8) | d!];
        })
      : [];
  const [head = '', tail] = address.split('::');
  const left = toGroups(head);
  if (tail === undefined) return left;
  const right = toGroups(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  return `${address.split(':').slice(0, 4).join(':')}::/64`;
}

/** `TRUSTED_PROXIES="127.0.0.1, ::1"` → a set of canonical addresses. Throws on an entry that is not an address. */
export function parseTrustedProxies(list: string): Set<string> {
  const proxies = new Set<string>();
  for (const entry of list.split(',').map((item) => item.trim()).filter(Boolean)) {
    const address = canonical(entry);
    if (address === null) throw new Error(`"${entry}" is not an IP address (ranges are not supported: list each proxy)`);
    proxies.add(address);
  }
  return proxies;
}
