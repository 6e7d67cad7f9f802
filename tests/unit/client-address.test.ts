import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from '../../server/client-address.js';

/** A request as client-address.ts sees it: who connected, and what headers they sent. */
const request = (remoteAddress: string | undefined, forwardedFor?: string | string[]) => ({
  socket: { remoteAddress },
  headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
});

const nobody = parseTrustedProxies('');
const localProxy = parseTrustedProxies('127.0.0.1, ::1');

describe('clientAddress', () => {
  it('is the peer itself when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress(request('203.0.113.7'), nobody)).toBe('203.0.113.7');
    expect(clientAddress(request('203.0.113.7', '198.51.100.1'), nobody)).toBe('203.0.113.7');
    // Even a peer on loopback is not a proxy until it is configured as one.
    expect(clientAddress(request('127.0.0.1', '198.51.100.1'), nobody)).toBe('127.0.0.1');
  });

  it('ignores a forged X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddress(request('203.0.113.7', '127.0.0.1'), localProxy)).toBe('203.0.113.7');
    expect(clientAddress(request('203.0.113.7', '198.51.100.1, 127.0.0.1'), localProxy)).toBe('203.0.113.7');
  });

  it('believes a trusted proxy: the rightmost hop it did not add itself is the client', () => {
    expect(clientAddress(request('127.0.0.1', '198.51.100.1'), localProxy)).toBe('198.51.100.1');
    // The client forged the first entry; the proxy appended what it saw. The forgery changes nothing.
    expect(clientAddress(request('127.0.0.1', '6.6.6.6, 198.51.100.1'), localProxy)).toBe('198.51.100.1');
    // Two trusted proxies in a row (127.0.0.1 forwarded to ::1): both are skipped.
    expect(clientAddress(request('::1', '6.6.6.6, 198.51.100.1, 127.0.0.1'), localProxy)).toBe('198.51.100.1');
    // Several X-Forwarded-For headers read as one list, in order.
    expect(clientAddress(request('127.0.0.1', ['6.6.6.6', '198.51.100.1']), localProxy)).toBe('198.51.100.1');
  });

  it('falls back to the proxy when its header is missing, empty or names only proxies', () => {
    expect(clientAddress(request('127.0.0.1'), localProxy)).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', ''), localProxy)).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', ' , '), localProxy)).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', '::1, 127.0.0.1'), localProxy)).toBe('0:0:0:0::/64');
  });

  it('does not let a hop that is not an address become a key of its own', () => {
    // A client who could make the proxy pass garbage through must not mint a fresh key per request.
    expect(clientAddress(request('127.0.0.1', 'unknown'), localProxy)).toBe('127.0.0.1');
    expect(clientAddress(request('127.0.0.1', '198.51.100.1, <script>'), localProxy)).toBe('127.0.0.1');
  });

  it('reads a hop with a port, or an IPv6 hop in brackets, as the address alone', () => {
    expect(clientAddress(request('127.0.0.1', '198.51.100.1:61234'), localProxy)).toBe('198.51.100.1');
    expect(clientAddress(request('127.0.0.1', '[2001:db8:1:2::5]:443'), localProxy)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(request('127.0.0.1', '[2001:db8:1:2::5]'), localProxy)).toBe('2001:db8:1:2::/64');
  });

  it('keys IPv6 clients by their /64, however the address is written', () => {
    const key = '2001:db8:1:2::/64';
    expect(clientAddress(request('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), nobody)).toBe(key);
    expect(clientAddress(request('2001:db8:1:2::1'), nobody)).toBe(key);
    expect(clientAddress(request('2001:0DB8:0001:0002:0:0:0:1'), nobody)).toBe(key);
    expect(clientAddress(request('2001:db8:1:3::1'), nobody)).not.toBe(key);
    expect(clientAddress(request('::1'), nobody)).toBe('0:0:0:0::/64');
    expect(clientAddress(request('2001:db8::'), nobody)).toBe('2001:db8:0:0::/64');
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 client it is', () => {
    expect(clientAddress(request('::ffff:203.0.113.7'), nobody)).toBe('203.0.113.7');
    expect(clientAddress(request('::FFFF:203.0.113.7'), nobody)).toBe('203.0.113.7');
    // A server listening on :: sees an IPv4 proxy as ::ffff:127.0.0.1; it is still the trusted 127.0.0.1.
    expect(clientAddress(request('::ffff:127.0.0.1', '198.51.100.1'), localProxy)).toBe('198.51.100.1');
    expect(clientAddress(request('127.0.0.1', '::ffff:198.51.100.1'), localProxy)).toBe('198.51.100.1');
  });

  it('treats a trusted IPv6 proxy as the same proxy however its address is written', () => {
    const proxies = parseTrustedProxies('2001:db8::10');
    expect(clientAddress(request('2001:db8:0:0:0:0:0:10', '198.51.100.1'), proxies)).toBe('198.51.100.1');
    expect(clientAddress(request('2001:DB8::10', '198.51.100.1'), proxies)).toBe('198.51.100.1');
  });

  it('never throws on a socket that has already gone (no remote address)', () => {
    expect(typeof clientAddress(request(undefined), localProxy)).toBe('string');
  });
});

describe('parseTrustedProxies', () => {
  it('reads a comma-separated list, forgiving spaces and empty entries', () => {
    expect([...parseTrustedProxies(' 10.0.0.1 ,, ::ffff:10.0.0.2 ')]).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(parseTrustedProxies('').size).toBe(0);
  });

  it('refuses an entry that is not an address, rather than trusting nobody in silence', () => {
    expect(() => parseTrustedProxies('10.0.0.1, proxy.internal')).toThrow(/"proxy.internal" is not an IP address/);
    expect(() => parseTrustedProxies('10.0.0.0/8')).toThrow(/ranges are not supported/);
  });
});
