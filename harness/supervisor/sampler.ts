// Samples every live process and the container's cgroup on a fixed monotonic schedule.
import type { Clock } from '../common/clock.js';
import type { CgroupMemorySnapshot } from '../kernel/cgroup-memory.js';
import type { ProcessReading, ProcessSample, TickSample, WatchedProcess } from '../run-files/memory-log.js';
import { nextTick, samplingInterval } from './tick-schedule.js';

const DEFAULT_SHARE_BUDGET = 0.002;

export interface SamplerOptions {
  intervalMs: number;
  /** Interval while cgroup usage is within 15% of its limit. */
  nearCapIntervalMs: number;
  clock: Clock;
  listProcesses: () => WatchedProcess[];
  /** `withShare`: read PSS too (smaps_rollup walks the page tables: about 25 µs per resident MiB, measured). */
  readProcess: (pid: number, withShare: boolean) => ProcessReading | null;
  /** The share of one core PSS reads may take; a tick skips them while they are over it. */
  shareBudget?: number;
  readCgroup: () => CgroupMemorySnapshot | null;
  onSample: (sample: TickSample) => void;
  onError: (error: unknown) => void;
}

export class Sampler {
  readonly #options: SamplerOptions;
  readonly #startMs: number;
  #tick = -1;
  #lastDueMs: number | null = null;
  #lastCgroup: CgroupMemorySnapshot | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #shareCostMs = 0;
  skippedTicks = 0;

  constructor(options: SamplerOptions) {
    this.#options = options;
    this.#startMs = options.clock.monotonicMs();
  }

  get startMs(): number {
    return this.#startMs;
  }

  start(): void {
    this.#runTick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Takes one sample outside the schedule, for the final state at exit. */
  sampleNow(): TickSample {
    this.#tick += 1;
    return this.#sample(this.#tick, this.#options.clock.monotonicMs());
  }

  #runTick(): void {
    if (this.#stopped) return;
    const { clock, intervalMs, nearCapIntervalMs } = this.#options;
    const interval = samplingInterval(intervalMs, nearCapIntervalMs, this.#lastCgroup?.usageBytes ?? null, this.#lastCgroup?.limitBytes ?? null);
    const next = nextTick(this.#startMs, interval, this.#lastDueMs, clock.monotonicMs());
    this.#lastDueMs = next.dueMs;
    this.skippedTicks += next.skipped;
    const delay = Math.max(0, next.dueMs - clock.monotonicMs());
    this.#timer = setTimeout(() => {
      try {
        this.#tick += 1;
        const sample = this.#sample(this.#tick, next.dueMs);
        this.#lastCgroup = sample.cgroup;
        this.#options.onSample(sample);
      } catch (error) {
        this.#options.onError(error);
      }
      this.#runTick();
    }, delay);
  }

  #sample(tick: number, scheduledMs: number): TickSample {
    const { clock, listProcesses, readProcess, readCgroup } = this.#options;
    const now = clock.monotonicMs();
    const elapsed = now - this.#startMs;
    // The first tick always reads PSS; later ones while its cost stays within the budget.
    const shareRead = tick === 0 || this.#shareCostMs <= elapsed * (this.#options.shareBudget ?? DEFAULT_SHARE_BUDGET);
    const processes: ProcessSample[] = [];
    for (const watched of listProcesses()) {
      const reading = readProcess(watched.pid, shareRead);
      if (reading) processes.push({ ...watched, ...reading });
    }
    if (shareRead) this.#shareCostMs += clock.monotonicMs() - now;
    return {
      tick,
      shareRead,
      scheduledMs: scheduledMs - this.#startMs,
      elapsedMs: now - this.#startMs,
      wallMs: clock.wallMs(),
      processes,
      cgroup: readCgroup(),
    };
  }
}
