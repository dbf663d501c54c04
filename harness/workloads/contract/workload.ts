// What a workload is: a spec the host writes into run-config.json, a coordinator the supervisor runs, and the work
// each worker process does. A new workload arrives as one folder beside ingest/ and synthetic/, added to registry.ts.
import type * as z from 'zod';
import type { Clock } from '../../common/clock.js';
import type { SupervisorMessage, WorkerMessage } from '../../common/worker-messages.js';
import type { RunConfig } from '../../run-files/run-config.js';
import type { WorkerExit } from '../../run-files/summary.js';

export interface ManagedWorker {
  id: number;
  pid: number | null;
  send(message: SupervisorMessage): void;
  /** Resolves once the exit is recorded in the summary. */
  result: Promise<WorkerExit>;
}

/** A user's command, run as it is with the container's environment; its output goes to command.log. */
export interface CommandToRun {
  file: string;
  args: readonly string[];
  cwd: string | null;
  /** How verdicts name it: "the command python3". */
  name: string;
}

/** What the supervisor offers a coordinator. */
export interface WorkloadContext {
  readonly config: RunConfig;
  readonly outDir: string;
  readonly clock: Clock;
  spawnWorker(argsFor: (workerId: number) => readonly string[], onMessage: (message: WorkerMessage, worker: ManagedWorker) => void): ManagedWorker;
  spawnCommand(command: CommandToRun): ManagedWorker;
  /** Set once the run must end early: interrupted, or a worker died and on_worker_death is "stop". */
  stopReason(): string | null;
  interruptedBy(): string | null;
  workerExits(): readonly WorkerExit[];
  recordInputError(message: string): void;
  setBatch(workerId: number, batchId: number | null): void;
  /** The file and page a worker is on, for memory_log.csv. */
  setPosition(workerId: number, position: { fileIndex: number; page: number } | null): void;
  reportProgress(progress: { unit: string; done: number; total: number | null }): void;
  recordPhase(name: string, figures: { rssBytes: number; cgroupUsageBytes: number | null }): void;
  countBatch(status: 'flushed' | 'failed'): void;
}

/** What a worker process has: its messages to the supervisor and the supervisor's answers. */
export interface WorkerChannel {
  send(message: WorkerMessage): Promise<void>;
  receive(): Promise<SupervisorMessage>;
  /** Announces a phase with the worker's own RSS and the cgroup's usage, read at that moment. */
  phase(name: string): Promise<void>;
}

export interface Workload<Spec extends { kind: string }> {
  kind: Spec['kind'];
  specSchema: z.ZodType<Spec>;
  /** Supervisor side: starts the workers and keeps the workload's own records. Worker side: worker-entries.ts. */
  coordinate(context: WorkloadContext, spec: Spec): Promise<void>;
}

/**
 * The work of one worker process: the run-config's workload as the file holds it (the supervisor validates the same
 * file, and stops every worker if it does not validate), and the arguments the coordinator passed to spawnWorker.
 */
export type WorkerEntry = (workload: unknown, args: readonly string[], channel: WorkerChannel) => Promise<void>;

/** The phase a worker announces, for coordinators that only record phases. */
export function recordPhaseMessage(context: WorkloadContext, message: WorkerMessage): void {
  if (message.type === 'phase') context.recordPhase(message.name, { rssBytes: message.rss_bytes, cgroupUsageBytes: message.cgroup_usage_bytes });
  if (message.type === 'progress') context.reportProgress({ unit: message.unit, done: message.done, total: message.total });
}
