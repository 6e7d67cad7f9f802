import type { IncomingMessage } from 'node:http';
import { AppError } from '../shared/errors.js';
import type { LimitFactory, Rule } from './rate-limits.js';

export interface ConnectionLimitRules {
  /** Engine.IO sessions (sockets) one client address may hold open on this node at once; 0: no cap. */
  maxPerAddress: number;
  /** New handshakes per client address (points 0: no limit); counted across nodes when Redis is configured. */
  handshakes: Rule;
}

/** One address can otherwise open thousands of sockets; a tab needs one, a household or an office a few dozen. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimitRules = { maxPerAddress: 64, handshakes: { points: 30, seconds: 10 } };

/** The parts of an Engine.IO server and session the gate needs. */
interface EngineLike {
  on(event: 'connection', listener: (session: { request: IncomingMessage; once(event: 'close', listener: () => void): unknown }) => void): unknown;
}

/**
 * Admits or refuses socket handshakes by client address (see client-address.ts), before Engine.IO opens a
 * session for them. The count of open sessions is per node, in memory (a crashed node's sockets are gone
 * with it, so nothing is left to leak); the handshake rate uses the shared rate limits, in Redis when
 * configured, so a reconnect storm aimed at many nodes still counts once.
 */
export class ConnectionGate {
  private readonly open = new Map<string, number>();
  /** Admitted handshakes whose session Engine.IO has not opened yet: their slots are already taken. */
  private readonly pending = new WeakMap<IncomingMessage, string>();
  private readonly handshakes;

  constructor(
    limits: LimitFactory,
    private readonly rules: ConnectionLimitRules,
    private readonly addressOf: (request: IncomingMessage) => string,
  ) {
    this.handshakes =
      rules.handshakes.points > 0
        ? limits('handshake', rules.handshakes, (seconds) => `Too many new connections from your address; try again in ${seconds} s.`)
        : null;
  }

  /** Null when the handshake may go ahead (its slot is then held for it), else a plain sentence saying why not. */
  async admit(request: IncomingMessage): Promise<string | null> {
    const address = this.addressOf(request);
    if (this.isFull(address)) return this.fullMessage();
    if (this.handshakes) {
      try {
        await this.handshakes.consume(address);
      } catch (error) {
        if (error instanceof AppError) return error.message;
        throw error;
      }
    }
    // Again: other handshakes from this address may have been admitted while the rate was being checked.
    if (this.isFull(address)) return this.fullMessage();
    if (this.rules.maxPerAddress > 0) this.hold(request, address);
    return null;
  }

  /** From now on every session Engine.IO opens for an admitted handshake keeps its slot until it closes. */
  watch(engine: EngineLike): void {
    engine.on('connection', (session) => {
      const address = this.pending.get(session.request);
      if (address === undefined) return;
      this.pending.delete(session.request);
      session.once('close', () => this.release(address));
    });
  }

  /** Open sessions plus admitted handshakes, for one address. */
  private count(address: string): number {
    return this.open.get(address) ?? 0;
  }

  private isFull(address: string): boolean {
    return this.rules.maxPerAddress > 0 && this.count(address) >= this.rules.maxPerAddress;
  }

  private fullMessage(): string {
    return `Too many connections from your address (${this.rules.maxPerAddress} open at once); close another tab and try again.`;
  }

  private hold(request: IncomingMessage, address: string): void {
    this.open.set(address, this.count(address) + 1);
    this.pending.set(request, address);
    // Engine.IO opens the session within the same turn (after one await); a handshake that failed after
    // being admitted (a bad protocol version, a socket gone mid-upgrade) gives its slot back here.
    setImmediate(() => {
      if (!this.pending.has(request)) return;
      this.pending.delete(request);
      this.release(address);
    });
  }

  private release(address: string): void {
    const left = this.count(address) - 1;
    if (left > 0) this.open.set(address, left);
    else this.open.delete(address);
  }
}
