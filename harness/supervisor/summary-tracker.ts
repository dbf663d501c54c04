// Accumulates the run's figures from samples and worker events, and renders summary.json.
import { bytesToMiB } from '../common/byte-size.js';
import type { RunConfig } from '../run-files/run-config.js';
import type { KernelFigures, PhaseFigures, Summary, WorkerExit } from '../run-files/summary.js';
import type { CgroupLocation } from '../kernel/cgroup-location.js';
import type { CgroupMemorySnapshot } from '../kernel/cgroup-memory.js';
import { classifyWorkers } from '../outcome/classify-workers.js';
import type { TickSample } from '../run-files/memory-log.js';
import { PeakTracker } from './peak-tracker.js';
import { VictimFinder } from './victims.js';
import { lastPid } from './proc-reader.js';
import { readPidsLimitHits } from '../kernel/cgroup-pids.js';

const NO_PEAK_NOTE = 'this kernel keeps no cgroup high-water mark (memory.peak needs Linux 5.19 on cgroup v2)';

export class SummaryTracker {
  readonly #config: RunConfig;
  readonly #startedWallMs: number;
  readonly #location: CgroupLocation | null;
  readonly #before: CgroupMemorySnapshot | null;
  #latestCgroup: CgroupMemorySnapshot | null;
  #sampleCount = 0;
  #firstSample: { cpuMs: number; elapsedMs: number } | null = null;
  #firstElapsedMs: number | null = null;
  #lastElapsedMs = 0;
  #liveWorkers = 0;
  readonly #peaks = new PeakTracker();
  readonly #victims = new VictimFinder();
  readonly #firstPid = lastPid();
  progress: Summary['progress'] = null;
  readonly #workers: WorkerExit[] = [];
  readonly #phases: PhaseFigures[] = [];
  batchesDone = 0;
  skippedTicks = 0;
  batchesFailed = 0;
  interruptedBy: string | null = null;
  readonly inputErrors: string[] = [];
  finalStatus = 'running';

  constructor(config: RunConfig, startedWallMs: number, location: CgroupLocation | null, before: CgroupMemorySnapshot | null) {
    this.#config = config;
    this.#startedWallMs = startedWallMs;
    this.#location = location;
    this.#before = before;
    this.#latestCgroup = before;
  }

  get workerExits(): readonly WorkerExit[] {
    return this.#workers;
  }

  /**
   * `startup`: a sample taken while the supervisor was still loading (early-start.ts). It counts as every sample
   * does, but the supervisor's CPU share is measured from the first sample after, so that loading its modules,
   * once per run, is not in it.
   */
  record(sample: TickSample, startup = false): void {
    this.#sampleCount += 1;
    if (this.#firstSample === null && !startup) this.#firstSample = { cpuMs: cpuMs(), elapsedMs: sample.elapsedMs };
    this.#firstElapsedMs ??= sample.elapsedMs;
    this.#lastElapsedMs = sample.elapsedMs;
    this.#liveWorkers = sample.processes.filter((process) => process.role === 'worker').length;
    this.#peaks.record(sample);
    this.#victims.record(sample);
    if (sample.cgroup) this.#latestCgroup = sample.cgroup;
  }

  workerPeak(workerId: number): { rssMb: number; hwmMb: number } | null {
    return this.#peaks.workerPeak(workerId);
  }

  recordWorkerExit(exit: WorkerExit): void {
    this.#workers.push(exit);
  }

  recordPhase(name: string, elapsedMs: number, cgroupUsageBytes: number | null, workerRssBytes: number): void {
    this.#phases.push({
      name,
      at_ms: Math.round(elapsedMs),
      cgroup_usage_mb: cgroupUsageBytes === null ? null : bytesToMiB(cgroupUsageBytes),
      worker_rss_mb: bytesToMiB(workerRssBytes),
    });
  }

  setLatestCgroup(snapshot: CgroupMemorySnapshot | null): void {
    if (snapshot) this.#latestCgroup = snapshot;
  }

  /** `samplerCpuUs`: what the sampler's ticks have taken so far (Sampler.tickCpuUs). */
  render(state: 'running' | 'finished', nowWallMs: number, samplerCpuUs: number): Summary {
    const config = this.#config;
    const capMb = bytesToMiB(config.cap_bytes);
    const kernel = this.#kernelFigures();
    const oomKills = Math.max(0, (kernel.oom_kills_after ?? 0) - (kernel.oom_kills_before ?? 0));
    const pidsLimitHits = state === 'finished' ? readPidsLimitHits() : null;
    const evidence = { oomKills, victims: this.#victims.victims, pidsLimitHits: pidsLimitHits ?? 0 };
    const classification = state === 'finished' ? classifyWorkers(this.#workers, this.interruptedBy, this.inputErrors, evidence) : null;
    const newestPid = lastPid();
    const sampledCgroupMb = this.#peaks.sampledCgroupPeakBytes === null ? null : bytesToMiB(this.#peaks.sampledCgroupPeakBytes);
    const peakForShare = kernel.kernel_peak_mb ?? sampledCgroupMb;
    return {
      schema: 'oom-harness/summary@1',
      run_id: config.run_id,
      state,
      verdict: classification?.verdict ?? null,
      verdict_reason: classification?.reason ?? null,
      cap_bytes: config.cap_bytes,
      cap_mb: capMb,
      worker_heap_mb: config.worker_heap_mb,
      sample_interval_ms: config.sample_interval_ms,
      node_version: process.version,
      sample_count: this.#sampleCount,
      skipped_ticks: this.skippedTicks,
      supervisor_cpu_ms: cpuMs(),
      sampler_cpu_share: this.#samplingWallMs() < MIN_SHARE_WALL_MS ? null : share(samplerCpuUs / 1000, this.#samplingWallMs()),
      supervisor_cpu_share: this.#supervisorCpuShare(),
      started_at: new Date(this.#startedWallMs).toISOString(),
      updated_at: new Date(nowWallMs).toISOString(),
      duration_ms: Math.round(nowWallMs - this.#startedWallMs),
      ...this.#peaks.fields(),
      kernel_peak_mb: kernel.kernel_peak_mb,
      peak_share_of_cap: peakForShare === null ? null : Math.round((peakForShare / capMb) * 1000) / 1000,
      progress: this.progress,
      victims: [...this.#victims.victims],
      processes_started: this.#firstPid === null || newestPid === null ? null : Math.max(0, newestPid - this.#firstPid),
      pids_limit_hits: pidsLimitHits,
      kernel,
      workers: [...this.#workers],
      live_workers: this.#liveWorkers,
      batches_done: this.batchesDone,
      batches_failed: this.batchesFailed,
      phases: [...this.#phases],
      interrupted_by: this.interruptedBy,
      input_errors: [...this.inputErrors],
      final_status: this.finalStatus,
    };
  }

  /** From the first sample to the last: the wall time the sampler has run. */
  #samplingWallMs(): number {
    return this.#firstElapsedMs === null ? 0 : this.#lastElapsedMs - this.#firstElapsedMs;
  }

  #supervisorCpuShare(): number | null {
    if (!this.#firstSample) return null;
    const wallMs = this.#lastElapsedMs - this.#firstSample.elapsedMs;
    return wallMs < MIN_SHARE_WALL_MS ? null : share(cpuMs() - this.#firstSample.cpuMs, wallMs);
  }

  #kernelFigures(): KernelFigures {
    const before = this.#before;
    const latest = this.#latestCgroup;
    const mb = (bytes: number | null | undefined) => (bytes == null ? null : bytesToMiB(bytes));
    return {
      cgroup_version: this.#location?.version ?? null,
      cgroup_dir: this.#location?.dir ?? null,
      limit_mb: mb(latest?.limitBytes),
      usage_mb: mb(latest?.usageBytes),
      kernel_peak_mb: mb(latest?.peakBytes),
      kernel_peak_source: latest?.peakSource ?? null,
      kernel_peak_note: latest && latest.peakBytes === null ? NO_PEAK_NOTE : null,
      oom_events_before: before?.oomEvents ?? null,
      oom_events_after: latest?.oomEvents ?? null,
      oom_kills_before: before?.oomKills ?? null,
      oom_kills_after: latest?.oomKills ?? null,
      failcnt: latest?.failcnt ?? null,
      anon_mb: mb(latest?.anonBytes),
      file_mb: mb(latest?.fileBytes),
    };
  }
}

/** A share of one core over less than a second says little. */
const MIN_SHARE_WALL_MS = 1000;

function share(cpuMs: number, wallMs: number): number {
  return Math.round((cpuMs / wallMs) * 10000) / 10000;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return Math.round((usage.user + usage.system) / 1000);
}
