import { performance } from 'node:perf_hooks';

/** Time as the sampler and the batcher see it; injected so tests can drive it. */
export interface Clock {
  /** Monotonic milliseconds, for intervals and schedules. */
  monotonicMs(): number;
  /** Wall-clock milliseconds since the epoch, for timestamps people read. */
  wallMs(): number;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  wallMs: () => Date.now(),
};
