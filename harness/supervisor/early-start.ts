// What the supervisor starts before the rest of it loads: the memory log and its sampler, and an ingest run's first
// worker. The supervisor's own modules (and zod) take about 0.15 s to load; started first, the sampler is watching
// the container and the worker is loading pdf-parse during that time instead of after it. The Supervisor then takes
// all of it over: the samples taken so far, and the worker with the messages it has sent. A supervisor started
// without one (a pod) makes one itself, so there is one way to start sampling. Nothing here loads zod.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, type Clock } from '../common/clock.js';
import type { WorkerMessage } from '../common/worker-messages.js';
import type { CgroupMemorySnapshot } from '../kernel/cgroup-memory.js';
import { MEMORY_LOG_FILE, MemoryLogWriter, type TickSample, type WatchedProcess } from '../run-files/memory-log.js';
import { WORKER_LOG_DIR } from '../run-files/run-dir.js';
import { FIRST_INGEST_WORKER, ingestRoleArgument } from '../workloads/ingest/worker-role.js';
import { OwnCgroup } from './own-cgroup.js';
import { ContainerProcesses, readProcess } from './proc-reader.js';
import { Sampler } from './sampler.js';
import { WORKER_SCRIPT, WorkerProcess, workerLogName } from './worker-process.js';

/** The run-config fields an early start needs, read before the config is validated (it is, right after). */
export interface EarlyFields {
  sampleIntervalMs: number;
  nearCapIntervalMs: number;
  recordArgv: boolean;
  workerHeapMb: number | null;
  workerTimeoutMs: number;
  killGraceMs: number;
  workloadKind: string;
}

/** The fields from a parsed run-config, or null when any is missing or of the wrong type (validation says which). */
export function earlyFields(config: unknown): EarlyFields | null {
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  const workload = (typeof c.workload === 'object' && c.workload !== null ? c.workload : {}) as Record<string, unknown>;
  const fields = {
    sampleIntervalMs: c.sample_interval_ms,
    nearCapIntervalMs: c.near_cap_sample_interval_ms,
    recordArgv: c.record_argv,
    workerHeapMb: c.worker_heap_mb,
    workerTimeoutMs: c.worker_timeout_ms,
    killGraceMs: c.kill_grace_ms,
    workloadKind: workload.kind,
  };
  const positive = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0;
  const valid =
    positive(fields.sampleIntervalMs) &&
    positive(fields.nearCapIntervalMs) &&
    typeof fields.recordArgv === 'boolean' &&
    (fields.workerHeapMb === null || positive(fields.workerHeapMb)) &&
    positive(fields.workerTimeoutMs) &&
    typeof fields.killGraceMs === 'number' &&
    typeof fields.workloadKind === 'string';
  return valid ? (fields as EarlyFields) : null;
}

/** Where samples go once the Supervisor has taken over. */
export interface SampleTarget {
  watched(): WatchedProcess[];
  onSample(sample: TickSample): void;
  /** A sample taken before the takeover, already in the memory log. */
  replay(sample: TickSample): void;
}

interface EarlyWorker {
  process: WorkerProcess;
  args: readonly string[];
  startedAt: string;
  pending: WorkerMessage[];
  deliver: ((message: WorkerMessage) => void) | null;
}

export class EarlyStart {
  readonly clock: Clock;
  readonly startedWallMs: number;
  readonly cgroup = new OwnCgroup();
  readonly processes = new ContainerProcesses();
  /** The cgroup before anything ran: the OOM counters a run's kills are counted from. */
  readonly before: CgroupMemorySnapshot | null;
  readonly log: MemoryLogWriter;
  readonly sampler: Sampler;
  #target: SampleTarget | null = null;
  #pending: TickSample[] = [];
  #worker: EarlyWorker | null = null;
  #signal: string | null = null;

  constructor(fields: EarlyFields, configPath: string, outDir: string, options: { startWorker: boolean; clock?: Clock }) {
    this.clock = options.clock ?? systemClock;
    this.startedWallMs = this.clock.wallMs();
    mkdirSync(join(outDir, WORKER_LOG_DIR), { recursive: true });
    this.before = this.cgroup.read();
    this.log = new MemoryLogWriter(join(outDir, MEMORY_LOG_FILE));
    if (options.startWorker && fields.workloadKind === 'ingest') this.#startFirstWorker(fields, configPath, outDir);
    this.sampler = new Sampler({
      intervalMs: fields.sampleIntervalMs,
      nearCapIntervalMs: fields.nearCapIntervalMs,
      clock: this.clock,
      listProcesses: () => this.#target?.watched() ?? this.#watchedBeforeTakeover(),
      readProcess: (pid, withShare) => readProcess(pid, withShare, fields.recordArgv),
      readCgroup: () => this.cgroup.read('tick'),
      onSample: (sample) => this.#onSample(sample),
      onError: (error) => process.stderr.write(`oom-harness supervisor: sampling failed: ${error instanceof Error ? error.message : String(error)}\n`),
    });
    this.sampler.start();
  }

  /** The Supervisor takes the samples over: those taken so far are replayed to it, the next ones go to it. */
  takeOver(target: SampleTarget): void {
    this.#target = target;
    // The first tick read PSS while the supervisor was loading: the next reads it again, with the workers running.
    this.sampler.readShareNextTick();
    for (const sample of this.#pending.splice(0)) target.replay(sample);
  }

  /**
   * The early worker, when the Supervisor's first worker is the same one (the same arguments); the messages it has
   * sent so far follow asynchronously, as a new worker's would. Null otherwise; an early worker nobody takes is stopped.
   */
  takeWorker(args: readonly string[], onMessage: (message: WorkerMessage) => void): { process: WorkerProcess; startedAt: string } | null {
    const worker = this.#worker;
    this.#worker = null;
    if (!worker) return null;
    if (worker.args.length !== args.length || worker.args.some((arg, i) => arg !== args[i])) {
      worker.process.stop();
      return null;
    }
    // A microtask: after the caller has its handle on the worker, and before the worker's exit, already known or
    // not, reaches the caller (that callback is queued after this one), as a new worker's messages would.
    queueMicrotask(() => {
      for (const message of worker.pending.splice(0)) onMessage(message);
      worker.deliver = onMessage;
    });
    return { process: worker.process, startedAt: worker.startedAt };
  }

  /**
   * A SIGTERM or SIGINT that came before the Supervisor took over (the entry point's handler calls this): the
   * Supervisor is interrupted by it as soon as it exists. Later signals are the Supervisor's own.
   */
  noteSignal(signal: string): void {
    if (!this.#target) this.#signal ??= signal;
  }

  get signalBeforeTakeover(): string | null {
    return this.#signal;
  }

  /** Messages from the early worker held for the Supervisor, not yet delivered. */
  get heldMessages(): number {
    return this.#worker?.pending.length ?? 0;
  }

  /** The run could not go on (its config did not validate): stop what was started. */
  abandon(): void {
    this.sampler.stop();
    this.#worker?.process.stop();
    this.log.close();
  }

  #startFirstWorker(fields: EarlyFields, configPath: string, outDir: string): void {
    const args = [configPath, ingestRoleArgument(FIRST_INGEST_WORKER)];
    const startedAt = new Date(this.clock.wallMs()).toISOString();
    let worker: EarlyWorker | null = null;
    const child = new WorkerProcess({
      workerId: FIRST_INGEST_WORKER.workerId,
      script: WORKER_SCRIPT,
      args,
      heapMb: fields.workerHeapMb,
      timeoutMs: fields.workerTimeoutMs,
      killGraceMs: fields.killGraceMs,
      stderrFile: join(outDir, workerLogName(FIRST_INGEST_WORKER.workerId)),
      onMessage: (message) => {
        if (worker?.deliver) worker.deliver(message);
        else worker?.pending.push(message);
      },
    });
    worker = { process: child, args, startedAt, pending: [], deliver: null };
    this.#worker = worker;
  }

  #watchedBeforeTakeover(): WatchedProcess[] {
    const watched: WatchedProcess[] = [{ pid: process.pid, role: 'supervisor', workerId: null, batchId: null, fileIndex: null, page: null }];
    const pid = this.#worker?.process.pid ?? null;
    if (pid !== null) watched.push({ pid, role: 'worker', workerId: FIRST_INGEST_WORKER.workerId, batchId: null, fileIndex: null, page: null });
    return watched;
  }

  #onSample(sample: TickSample): void {
    if (this.#target) return this.#target.onSample(sample);
    this.log.append(sample);
    this.#pending.push(sample);
  }
}
