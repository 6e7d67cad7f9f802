import { join } from 'node:path';
import { now, waitFor } from '../lib/clock.js';
import type { Generators } from '../lib/generators.js';
import { busyTicks } from '../lib/machine.js';
import { pinning } from '../lib/pinning.js';
import { CLOCK_TICKS, ticksToMicros } from '../lib/procfs.js';
import { ServerUnderTest, type LoopDelay, type ServerOptions } from '../lib/servers.js';
import type { Distribution } from '../lib/stats.js';

export const TMP_DIR = 'bench/results/tmp';

export interface Audience {
  viewers: number;
  /** Of which socket.io-client viewers (full parsing, for fidelity). */
  ioViewers: number;
  posters: number;
}

export interface Load {
  /** Posts and reactions together, per second, on an open-loop schedule. */
  writesPerSec: number;
  reactionsPerPost: number;
  durationMs: number;
  bodyBytes: number;
}

export interface Phase {
  label: string;
  server: string;
  viewers: number;
  offeredWritesPerSec: number;
  /** Events delivered to viewers per second, from the first send to the last receipt. */
  deliveriesPerSec: number;
  framesPerSec: number;
  eventsPerFrame: number;
  /** All of the phase's writes reached all viewers within the drain timeout. */
  drained: boolean;
  /** Time from the last scheduled send to the last receipt: a server that keeps up drains at once. */
  tailMs: number;
  /** Every event (posts and reactions), bare viewers: receive time minus the write's intended send time. */
  latency: Distribution;
  /** Posts only, from the send time each body carries. */
  postLatency: Distribution;
  /** Every event, socket.io-client viewers. */
  fidelityLatency: Distribution;
  serverCpu: number;
  serverUsPerDelivery: number;
  serverUsPerFrame: number;
  generatorCpu: number;
  bytesPerDelivery: number;
  loopDelay: LoopDelay | null;
  probeRtt: Distribution;
  sendLag: Distribution;
  ackLatency: Distribution;
  writeErrors: Record<string, number>;
  unacked: number;
  /** CPU other processes used on the server's and the generators' core (0–1): noise from a shared machine. */
  interference: { serverCore: number; generatorCore: number } | null;
  /** Run twice because the first attempt was disturbed (the less disturbed one is reported). */
  rerunForNoise?: boolean;
  /**
   * Viewers on a second node (`Session.open`'s `viewersOn`): what that node spent relaying the first node's
   * broadcasts (adapter receive + fan-out). `server*` figures above are then the publishing node's.
   */
  viewerNode?: { server: string; serverCpu: number; usPerDelivery: number; usPerFrame: number; usPerBroadcast: number; publisherUsPerWrite: number };
}

/**
 * One server under test with one room, its posters and its audience. Phases run one after another in that
 * room; each waits for its writes to reach every viewer before the next begins, so phases never overlap.
 */
export class Session {
  private finalSeq = 0;
  private phaseCount = 0;
  /** Server RSS growth per viewer while the audience connected and joined (KiB): memory at this size. */
  rssPerViewerKb = NaN;

  private constructor(
    readonly gen: Generators,
    readonly server: ServerUnderTest,
    readonly roomId: string,
    readonly audience: Audience,
    private readonly runTag: string,
    /** Where the viewers are: the same server, or (`viewersOn`) a second node behind the same adapter. */
    readonly viewerServer: ServerUnderTest = server,
  ) {}

  /** `viewersOn`: the viewers join a second server started with these options; the posters stay on the first. */
  static async open(gen: Generators, options: ServerOptions, audience: Audience, runTag: string, viewersOn?: ServerOptions): Promise<Session> {
    const server = await ServerUnderTest.start(options);
    let viewerServer = server;
    try {
      if (viewersOn) viewerServer = await ServerUnderTest.start(viewersOn);
      const { roomId } = await gen.posters.call('createRoom', { url: server.url, title: `Bench ${runTag}` });
      await gen.posters.call('join', { url: server.url, roomId, count: audience.posters });
      const raw = audience.viewers - audience.ioViewers;
      const rss0 = viewerServer.rssKb();
      const connected = await gen.viewers.call('connect', { url: viewerServer.url, roomId, raw, io: audience.ioViewers, concurrency: 200 });
      const session = new Session(gen, server, roomId, audience, runTag, viewerServer);
      session.finalSeq = connected.maxBase;
      session.rssPerViewerKb = (viewerServer.rssKb() - rss0) / audience.viewers;
      return session;
    } catch (error) {
      await Session.teardown(gen, server, viewerServer);
      throw error;
    }
  }

  async phase(label: string, load: Load, drainMs = 30_000): Promise<Phase> {
    const { posters, viewers } = this.gen;
    await viewers.call('begin');
    await this.server.loopDelay();
    const cpu0 = this.server.cpuTicks();
    const relay = this.viewerServer === this.server ? null : this.viewerServer;
    const relay0 = relay?.cpuTicks() ?? 0;
    const gen0 = this.gen.cpuTicks();
    const busy0 = busyTicks();
    const t0 = now();
    const run = await posters.call('run', { ...load, ackTimeoutMs: drainMs });
    this.finalSeq = Math.max(this.finalSeq, run.maxSeq);
    const drained = await waitFor(async () => (await viewers.call('status')).minLast >= this.finalSeq, drainMs, 20);
    const t1 = now();
    const busy1 = busyTicks();
    const wallTicks = ((t1 - t0) / 1000) * CLOCK_TICKS;
    const foreign = (cpu: number, own: number) => Math.max(0, (busy1[cpu]! - busy0[cpu]! - own) / wallTicks);
    const interference = pinning.enabled && busy1.length >= 2
      ? { serverCore: foreign(0, this.server.cpuTicks() - cpu0 + (relay ? relay.cpuTicks() - relay0 : 0)), generatorCore: foreign(1, this.gen.cpuTicks() - gen0) }
      : null;
    const cpuUs = ticksToMicros(this.server.cpuTicks() - cpu0);
    const genUs = ticksToMicros(this.gen.cpuTicks() - gen0);
    const relayUs = relay ? ticksToMicros(relay.cpuTicks() - relay0) : 0;
    const samplesPath = join(TMP_DIR, `${this.runTag}-${String(++this.phaseCount).padStart(2, '0')}-${label}.f32.gz`);
    const received = await viewers.call('end', { samplesPath, intended: run.intended });
    const loopDelay = await this.server.loopDelay();
    const spanS = Math.max(1e-3, (received.lastAt - run.firstSendAt) / 1000);
    return {
      label,
      server: this.server.label,
      viewers: this.audience.viewers,
      offeredWritesPerSec: load.writesPerSec,
      deliveriesPerSec: received.events / spanS,
      framesPerSec: received.frames / spanS,
      eventsPerFrame: received.events / Math.max(1, received.frames),
      drained,
      tailMs: received.lastAt - (run.firstSendAt + run.sendMs),
      latency: received.latency,
      postLatency: received.postLatency,
      fidelityLatency: received.fidelityLatency,
      serverCpu: cpuUs / ((t1 - t0) * 1000),
      serverUsPerDelivery: cpuUs / Math.max(1, received.events),
      serverUsPerFrame: cpuUs / Math.max(1, received.frames),
      generatorCpu: genUs / ((t1 - t0) * 1000),
      // Counted on the bare viewers only (socket.io-client hides frame sizes).
      bytesPerDelivery: received.bytes / Math.max(1, received.events * (1 - this.audience.ioViewers / this.audience.viewers)),
      loopDelay,
      probeRtt: run.probeRtt,
      sendLag: run.sendLag,
      ackLatency: run.ackLatency,
      writeErrors: { ...run.errors, ...(run.lost ? { LOST: run.lost } : {}) },
      unacked: run.unacked,
      interference,
      ...(relay ? {
        viewerNode: {
          server: relay.label,
          serverCpu: relayUs / ((t1 - t0) * 1000),
          usPerDelivery: relayUs / Math.max(1, received.events),
          usPerFrame: relayUs / Math.max(1, received.frames),
          // One broadcast from the other node reaches every viewer here once: frames per viewer.
          usPerBroadcast: relayUs / Math.max(1, received.frames / this.audience.viewers),
          publisherUsPerWrite: cpuUs / Math.max(1, run.acked),
        },
      } : {}),
    };
  }

  /** Every viewer's delivery over the session (100 % expected), then everything closed. */
  async close() {
    const delivery = await this.gen.viewers.call('check', { finalSeq: this.finalSeq });
    const serverLog = this.server.log() + (this.viewerServer === this.server ? '' : this.viewerServer.log());
    await Session.teardown(this.gen, this.server, this.viewerServer);
    return { ...delivery, finalSeq: this.finalSeq, serverErrors: serverErrors(serverLog) };
  }

  private static async teardown(gen: Generators, server: ServerUnderTest, viewerServer = server): Promise<void> {
    await gen.viewers.call('closeAll').catch(() => {});
    await gen.posters.call('close').catch(() => {});
    await server.stop();
    if (viewerServer !== server) await viewerServer.stop();
  }
}

/** Lines the server logged as errors (the router logs unexpected failures; none are expected). */
export function serverErrors(log: string): string[] {
  return log.split('\n').filter((line) => /error|INTERNAL|\[.*:.*\]/i.test(line) && !/^(Debate rooms|Baseline) on/.test(line)).slice(0, 5);
}
