import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * LOOP_DELAY_STATS=1: event-loop delay percentiles on demand, for the benchmark (and an operator) to read
 * without a profiler. Each SIGUSR2 prints `loop-delay {"p50":ms,"p99":ms,"max":ms}` and starts a new window.
 * Returns the note to print at start, so a reader knows the signal is safe to send.
 */
export function reportLoopDelayOnSignal(): string {
  if (process.env.LOOP_DELAY_STATS !== '1') return '';
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => Number((ns / 1e6).toFixed(2));
    console.log(`loop-delay ${JSON.stringify({ p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) })}`);
    delay.reset();
  });
  return ' (loop-delay: SIGUSR2)';
}
