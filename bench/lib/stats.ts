import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Distribution {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
function rank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function distribution(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return {
    count: sorted.length,
    p50: rank(sorted, 50),
    p99: rank(sorted, 99),
    p999: rank(sorted, 99.9),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

export function median(values: number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/**
 * Every latency sample of a phase, kept (not just a histogram) so the tail can be re-examined later.
 * Float32 is exact to well under a microsecond at the latencies that matter.
 */
export class Samples {
  private buffer = new Float32Array(1 << 16);
  private length = 0;

  add(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Float32Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  get count(): number {
    return this.length;
  }

  /** The samples so far, and a fresh start. */
  take(): Float32Array {
    const out = this.buffer.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

/** (seq, receive time) pairs of one phase, turned into latencies once the writes' intended times are known. */
export class Receipts {
  private seqs = new Int32Array(1 << 16);
  private ats = new Float64Array(1 << 16);
  count = 0;

  add(seq: number, at: number): void {
    if (this.count === this.seqs.length) {
      const seqs = new Int32Array(this.count * 2);
      const ats = new Float64Array(this.count * 2);
      seqs.set(this.seqs);
      ats.set(this.ats);
      this.seqs = seqs;
      this.ats = ats;
    }
    this.seqs[this.count] = seq;
    this.ats[this.count++] = at;
  }

  clear(): void {
    this.count = 0;
  }

  /** Receive time minus intended send time for every receipt whose write is known. */
  latencies(sentAt: Map<number, number>): Float32Array {
    const out = new Float32Array(this.count);
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      const sent = sentAt.get(this.seqs[i]!);
      if (sent !== undefined) out[n++] = this.ats[i]! - sent;
    }
    return out.slice(0, n);
  }
}

/** Writes samples gzipped as little-endian float32 (`.f32.gz`): numpy.frombuffer(gzip.open(p).read(), '<f4'). */
export function writeSamples(path: string, samples: Float32Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength), { level: 1 }));
}

export const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);
