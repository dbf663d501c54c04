// The container's entry process: runs the workload's workers, samples memory, and keeps summary.json true.
import { join } from 'node:path';
import type { Clock } from '../common/clock.js';
import type { RunConfig } from '../run-files/run-config.js';
import { errorMessage } from '../common/harness-error.js';
import { writeSummary, type Summary, type WorkerExit } from '../run-files/summary.js';
import { COMMAND_LOG_FILE } from '../run-files/run-dir.js';
import type { WorkerMessage } from '../common/worker-messages.js';
import type { CommandToRun, ManagedWorker, WorkloadContext } from '../workloads/contract/workload.js';
import { diedBadly } from '../outcome/describe-death.js';
import type { Sampler } from './sampler.js';
import type { MemoryLogWriter, TickSample, WatchedProcess } from '../run-files/memory-log.js';
import { readTail } from './stderr-tail.js';
import { nearLimit, workerExitRecord } from './worker-exit.js';
import type { ContainerProcesses } from './proc-reader.js';
import { SummaryTracker } from './summary-tracker.js';
import type { OwnCgroup } from './own-cgroup.js';
import { readPidsLimitHits } from '../kernel/cgroup-pids.js';
import { WORKER_SCRIPT, WorkerProcess, workerLogName, type CommandSpawn, type RawWorkerExit } from './worker-process.js';
import { EarlyStart, earlyFields } from './early-start.js';
import { CommandLog } from './command-log.js';

const SUMMARY_WRITE_INTERVAL_MS = 1000;
/** A fork bomb is stopped by the pids limit; sampling every one of its processes would stall the sampler. */
const MAX_CHILDREN_SAMPLED = 256;

/** `logName`: where its output is, relative to the container's directory. */
type StartedProcess = { id: number; name: string | null; pid: number | null; startedAt: string; stderrFile: string; logName: string };

interface LiveWorker {
  process: WorkerProcess;
  batchId: number | null;
  position: { fileIndex: number; page: number } | null;
}

export class Supervisor {
  readonly #config: RunConfig;
  readonly #outDir: string;
  readonly #configPath: string;
  readonly #clock: Clock;
  readonly #cgroup: OwnCgroup;
  readonly #processes: ContainerProcesses;
  readonly #tracker: SummaryTracker;
  readonly #log: MemoryLogWriter;
  readonly #sampler: Sampler;
  readonly #early: EarlyStart;
  readonly #live = new Map<number, LiveWorker>();
  #nextWorkerId = 1;
  #stopReason: string | null = null;
  #oomKillsSeen: number | null;
  #lastSummaryWriteMs = -Infinity;

  /** `early`: what the container's entry point started before this module loaded; made here when not given. */
  constructor(config: RunConfig, configPath: string, outDir: string, clock: Clock, early?: EarlyStart) {
    this.#config = config;
    this.#configPath = configPath;
    this.#outDir = outDir;
    this.#clock = clock;
    const fields = earlyFields(config);
    if (!fields) throw new Error('run-config: the sampling and worker fields are missing');
    this.#early = early ?? new EarlyStart(fields, configPath, outDir, { startWorker: false, clock });
    this.#cgroup = this.#early.cgroup;
    this.#processes = this.#early.processes;
    this.#log = this.#early.log;
    this.#sampler = this.#early.sampler;
    this.#oomKillsSeen = this.#early.before?.oomKills ?? null;
    this.#tracker = new SummaryTracker(config, this.#early.startedWallMs, this.#cgroup.location, this.#early.before);
    this.#early.takeOver({
      watched: () => this.#watchedProcesses(),
      onSample: (sample) => this.#onSample(sample),
      replay: (sample) => this.#tracker.record(sample, true),
    });
  }

  /** Runs the workload's coordinator to its end, sampling throughout; returns the final summary. */
  async run(coordinate: (context: WorkloadContext) => Promise<void>): Promise<Summary> {
    try {
      // Inside the try: a first write that fails (a full disk) ends the run with its reason, the sampler stopped.
      this.#writeSummary('running');
      await coordinate(this.#context());
      this.#tracker.finalStatus = this.#stopReason ? 'stopped' : 'completed';
    } catch (error) {
      this.#tracker.finalStatus = `supervisor error: ${errorMessage(error)}`;
      process.stderr.write(`oom-harness supervisor: ${errorMessage(error)}\n`);
      this.#stopAllWorkers();
    }
    await Promise.allSettled([...this.#live.values()].map((worker) => worker.process.exited));
    this.#sampler.stop();
    this.#onSample(this.#sampler.sampleNow());
    this.#tracker.setLatestCgroup(this.#cgroup.read('full'));
    this.#log.close();
    return this.#writeSummary('finished');
  }

  /** SIGTERM or SIGINT to the supervisor: stop every worker, then finish the run as interrupted. */
  interrupt(signal: string): void {
    if (this.#tracker.interruptedBy) return;
    this.#tracker.interruptedBy = signal;
    this.#stopReason = `interrupted by ${signal}`;
    this.#stopAllWorkers();
  }

  #context(): WorkloadContext {
    return {
      config: this.#config,
      outDir: this.#outDir,
      clock: this.#clock,
      spawnWorker: (argsFor, onMessage) => this.#spawnWorker(argsFor, onMessage),
      spawnCommand: (command) => this.#spawnCommand(command),
      stopReason: () => this.#stopReason,
      interruptedBy: () => this.#tracker.interruptedBy,
      workerExits: () => this.#tracker.workerExits,
      recordInputError: (message) => {
        this.#tracker.inputErrors.push(message);
        this.#writeSummary('running');
      },
      setBatch: (workerId, batchId) => {
        const live = this.#live.get(workerId);
        if (live) live.batchId = batchId;
      },
      setPosition: (workerId, position) => {
        const live = this.#live.get(workerId);
        if (live) live.position = position;
      },
      reportProgress: (progress) => {
        this.#tracker.progress = progress;
      },
      recordPhase: (name, figures) => {
        this.#tracker.recordPhase(name, this.#clock.monotonicMs() - this.#sampler.startMs, figures.cgroupUsageBytes, figures.rssBytes);
        this.#writeSummary('running');
      },
      countBatch: (status) => {
        if (status === 'flushed') this.#tracker.batchesDone += 1;
        else this.#tracker.batchesFailed += 1;
      },
    };
  }

  #spawnCommand(command: CommandToRun): ManagedWorker {
    const log = new CommandLog(join(this.#outDir, COMMAND_LOG_FILE));
    const managed = this.#spawnWorker(() => [], () => undefined, { ...command, onOutput: (chunk, stream) => log.write(chunk, stream) });
    void managed.result.finally(() => log.close());
    return managed;
  }

  #spawnWorker(
    argsFor: (workerId: number) => readonly string[],
    onMessage: (message: WorkerMessage, worker: ManagedWorker) => void,
    command?: CommandSpawn & { name: string },
  ): ManagedWorker {
    const id = this.#nextWorkerId++;
    const args = [this.#configPath, ...argsFor(id)];
    const logName = command ? COMMAND_LOG_FILE : workerLogName(id);
    const stderrFile = join(this.#outDir, logName);
    // Messages arrive asynchronously, so `managed` is always set before the first one is handled.
    let managed: ManagedWorker | undefined;
    const deliver = (message: WorkerMessage) => {
      if (managed) onMessage(message, managed);
    };
    // An ingest run's first worker was started before this module loaded: taken over, with what it has sent.
    const adopted = command ? null : this.#early.takeWorker(args, deliver);
    const startedAt = adopted?.startedAt ?? new Date(this.#clock.wallMs()).toISOString();
    const child = adopted?.process ?? this.#startProcess(id, args, stderrFile, deliver, command);
    this.#live.set(id, { process: child, batchId: null, position: null });
    const result = child.exited.then((raw) => this.#recordExit({ id, name: command?.name ?? null, pid: child.pid, startedAt, stderrFile, logName }, raw));
    managed = { id, pid: child.pid, send: (message) => child.send(message), result };
    return managed;
  }

  #startProcess(id: number, args: readonly string[], stderrFile: string, onMessage: (message: WorkerMessage) => void, command?: CommandSpawn): WorkerProcess {
    return new WorkerProcess({
      workerId: id,
      script: WORKER_SCRIPT,
      args,
      heapMb: this.#config.worker_heap_mb,
      timeoutMs: this.#config.worker_timeout_ms,
      killGraceMs: this.#config.kill_grace_ms,
      stderrFile,
      ...(command ? { command } : {}),
      onMessage,
    });
  }

  #recordExit(started: StartedProcess, raw: RawWorkerExit): WorkerExit {
    const { id, pid, startedAt, stderrFile } = started;
    this.#live.delete(id);
    const cgroup = this.#cgroup.read();
    this.#tracker.setLatestCgroup(cgroup);
    const kills = cgroup?.oomKills ?? null;
    const killsRose = kills !== null && kills > (this.#oomKillsSeen ?? 0);
    if (kills !== null) this.#oomKillsSeen = kills;
    const exit = workerExitRecord({
      workerId: id,
      name: started.name,
      pid,
      startedAt,
      endedAt: new Date(this.#clock.wallMs()).toISOString(),
      raw,
      stderrTail: readTail(stderrFile, 4096),
      stderrFile: started.logName,
      oomKillCounted: killsRose || (kills === null && nearLimit(cgroup)),
      peak: this.#tracker.workerPeak(id),
    });
    this.#tracker.recordWorkerExit(exit);
    if (diedBadly(exit) && !this.#stopReason && this.#config.on_worker_death === 'stop') {
      this.#stopReason = `worker ${id} failed`;
      this.#stopAllWorkers();
    }
    this.#writeSummary('running');
    return exit;
  }

  #stopAllWorkers(): void {
    for (const worker of this.#live.values()) worker.process.stop();
  }

  #watchedProcesses(): WatchedProcess[] {
    const watched: WatchedProcess[] = [{ pid: process.pid, role: 'supervisor', workerId: null, batchId: null, fileIndex: null, page: null }];
    for (const [id, worker] of this.#live) {
      if (worker.process.pid === null) continue;
      const { fileIndex = null, page = null } = worker.position ?? {};
      watched.push({ pid: worker.process.pid, role: 'worker', workerId: id, batchId: worker.batchId, fileIndex, page });
    }
    // Everything else in the container but its init: a worker's children, or a user command's whole tree.
    const others = this.#processes.others(new Set(watched.map((process) => process.pid)));
    for (const pid of others.slice(0, MAX_CHILDREN_SAMPLED)) watched.push({ pid, role: 'child', workerId: null, batchId: null, fileIndex: null, page: null });
    return watched;
  }

  #onSample(sample: TickSample): void {
    this.#log.append(sample);
    this.#tracker.record(sample);
    this.#tracker.skippedTicks = this.#sampler.skippedTicks;
    if (this.#clock.monotonicMs() - this.#lastSummaryWriteMs >= SUMMARY_WRITE_INTERVAL_MS) {
      // A fork bomb at the pids limit would retry forever: once a fork has failed there, the run ends.
      if (!this.#stopReason && (readPidsLimitHits() ?? 0) > 0) {
        this.#stopReason = 'the container reached its pids limit';
        this.#stopAllWorkers();
      }
      this.#writeSummary('running');
    }
  }

  #writeSummary(state: 'running' | 'finished'): Summary {
    this.#lastSummaryWriteMs = this.#clock.monotonicMs();
    const summary = this.#tracker.render(state, this.#clock.wallMs(), this.#sampler.tickCpuUs);
    writeSummary(this.#outDir, summary, state === 'finished');
    return summary;
  }
}
