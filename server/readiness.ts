import type { IncomingMessage, ServerResponse } from 'node:http';

/** Something this node needs in order to serve: a name for the reason, and a probe that throws when it cannot. */
export interface ReadinessCheck {
  name: string;
  ping(): Promise<void>;
}

/** How long a probe may take before the node counts as not ready (ms). */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * `/readyz` for load balancers and orchestrators: 200 when every check answers within a second, 503 with a
 * plain reason otherwise. Unlike `/healthz` (the process is up), this says whether the node can serve
 * writes and joins now, so a balancer can send new clients elsewhere while this node's Redis is away.
 * Returns false for any other path.
 */
export function readinessHandler(checks: ReadinessCheck[], timeoutMs = PROBE_TIMEOUT_MS) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.url !== '/readyz') return false;
    void Promise.all(checks.map((check) => failureOf(check, timeoutMs))).then((failures) => {
      const reasons = failures.filter((reason): reason is string => reason !== null);
      res.writeHead(reasons.length ? 503 : 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(reasons.length ? `Not ready. ${reasons.join(' ')}` : 'ready');
    });
    return true;
  };
}

async function failureOf(check: ReadinessCheck, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`${check.name} did not answer within ${timeoutMs} ms.`), timeoutMs);
  });
  try {
    return await Promise.race([check.ping().then(() => null), late]);
  } catch (error) {
    const why = error instanceof Error && error.message ? error.message : 'it failed';
    return `${check.name}: ${why.endsWith('.') ? why : `${why}.`}`;
  } finally {
    clearTimeout(timer);
  }
}
