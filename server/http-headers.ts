import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the page may do, decided by the server rather than left to the browser's defaults. The built client
 * is one module script and one stylesheet from this origin, with no inline script or style element; Vue's
 * `:style` bindings go through the CSSOM, which style-src does not govern, so neither needs 'unsafe-inline'.
 * The favicon is a data: URL. The socket is this origin's, over ws: or wss:, named explicitly because
 * older browsers do not count them as 'self'.
 */
const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** Only a plain host[:port] is written into the policy; anything else could add directives of its own. */
const PLAIN_HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function contentSecurityPolicy(host: string | undefined): string {
  const socket = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [...POLICY, `connect-src 'self'${socket}`].join('; ');
}

const FIXED_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // Room links are capabilities of a sort: the address of a room is not told to the sites its posts link to.
  'Referrer-Policy': 'no-referrer',
  // For browsers that do not know frame-ancestors.
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Set on every HTTP answer of the app (Socket.IO answers its own path). HSTS is the TLS proxy's to send. */
export function setSecurityHeaders(request: IncomingMessage, response: ServerResponse): void {
  for (const [name, value] of Object.entries(FIXED_HEADERS)) response.setHeader(name, value);
  response.setHeader('Content-Security-Policy', contentSecurityPolicy(request.headers.host));
}
