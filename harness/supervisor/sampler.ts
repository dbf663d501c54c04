// Samples every live process and the container's cgroup on a fixed monotonic schedule.
import type { Clock } from '../common/clock.js';
import type { CgroupMemorySnapshot } from '../kernel/cgroup-memory.js';
import type { ProcessReading, ProcessSample, TickSample, WatchedProcess } from '../run-files/memory-log.js';
import { nextTick, samplingInterval } from './tick-schedule.js';

const DEFAULT_SHARE_BUDGET = 0.002;
/** Over its budget, PSS is still read when the cgroup has grown this much past its usage at any read so far... */
const SHARE_GROWTH_TRIGGER = 0.05;
/** ...but not more often than this, so a steady climb costs at most one read a second. */
const SHARE_GROWTH_MIN_GAP_MS = 1000;

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
  /** What a tick costs without PSS reads (a moving average), so only the PSS part is charged to the budget. */
  #plainTickMs: number | null = null;
  /** When PSS was last read (ms since start). */
  #lastShareAtMs: number | null = null;
  /**
   * The highest cgroup usage a PSS read has seen since the processes watched last changed: memory that rises and falls
   * below it brings no read past the budget. New processes start from the last read's usage.
   */
  #shareUsagePeak: number | null = null;
  #lastShareUsage: number | null = null;
  #watchedPids = '';
  #shareWanted = false;
  #tickCpuUs = 0;
  skippedTicks = 0;

  constructor(options: SamplerOptions) {
    this.#options = options;
    this.#startMs = options.clock.monotonicMs();
  }

  get startMs(): number {
    return this.#startMs;
  }

  /** Starts the schedule; a second call does nothing. */
  start(): void {
    if (this.#tick >= 0 || this.#timer || this.#stopped) return;
    this.#runTick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * CPU time (user and system, µs) the scheduled ticks have taken: reading, recording and scheduling the next one.
   * What sampling itself costs, apart from what else the supervisor process does (loading, running workers).
   */
  get tickCpuUs(): number {
    return this.#tickCpuUs;
  }

  /** The next tick reads PSS whatever its budget: the supervisor has just loaded and its workers are starting. */
  readShareNextTick(): void {
    this.#shareWanted = true;
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
      const cpuBefore = process.cpuUsage();
      try {
        this.#tick += 1;
        const sample = this.#sample(this.#tick, next.dueMs);
        this.#lastCgroup = sample.cgroup;
        this.#options.onSample(sample);
      } catch (error) {
        this.#options.onError(error);
      }
      this.#runTick();
      const cpu = process.cpuUsage(cpuBefore);
      this.#tickCpuUs += cpu.user + cpu.system;
    }, delay);
  }

  /**
   * PSS on the first tick and when asked (readShareNextTick); then while its cost stays within the budget; and past
   * the budget whenever the cgroup has grown 5% past the highest usage a read has seen (at most once a second), so the
   * peak of a short or climbing run is still read, and workers whose memory rises and falls (parts, ranges) are not
   * read again for it.
   */
  #wantsShare(tick: number, elapsedMs: number): boolean {
    if (tick === 0 || this.#lastShareAtMs === null || this.#shareWanted) return true;
    if (this.#shareCostMs <= elapsedMs * (this.#options.shareBudget ?? DEFAULT_SHARE_BUDGET)) return true;
    const usage = this.#lastCgroup?.usageBytes ?? null;
    const before = this.#shareUsagePeak;
    const grown = usage !== null && before !== null && usage >= before * (1 + SHARE_GROWTH_TRIGGER);
    return grown && elapsedMs - this.#lastShareAtMs >= SHARE_GROWTH_MIN_GAP_MS;
  }

  #sample(tick: number, scheduledMs: number): TickSample {
    const { clock, listProcesses, readProcess, readCgroup } = this.#options;
    const now = clock.monotonicMs();
    const elapsed = now - this.#startMs;
    const shareRead = this.#wantsShare(tick, elapsed);
    if (shareRead) this.#shareWanted = false;
    const processes: ProcessSample[] = [];
    const listed = listProcesses();
    const pids = listed.map((watched) => watched.pid).join(',');
    if (pids !== this.#watchedPids) {
      this.#watchedPids = pids;
      this.#shareUsagePeak = this.#lastShareUsage;
    }
    for (const watched of listed) {
      const reading = readProcess(watched.pid, shareRead);
      if (reading) processes.push({ ...watched, ...reading });
    }
    const tickMs = clock.monotonicMs() - now;
    const cgroup = readCgroup();
    if (shareRead) {
      this.#shareCostMs += Math.max(0, tickMs - (this.#plainTickMs ?? 0));
      this.#lastShareAtMs = elapsed;
      const usage = cgroup?.usageBytes ?? null;
      this.#lastShareUsage = usage;
      if (usage !== null) this.#shareUsagePeak = Math.max(this.#shareUsagePeak ?? 0, usage);
    } else {
      this.#plainTickMs = this.#plainTickMs === null ? tickMs : this.#plainTickMs * 0.9 + tickMs * 0.1;
    }
    return {
      tick,
      shareRead,
      scheduledMs: scheduledMs - this.#startMs,
      elapsedMs: now - this.#startMs,
      wallMs: clock.wallMs(),
      processes,
      cgroup,
    };
  }
}
