// Starts one worker as a child process and reports how it ended, in one shape whatever the ending.
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WORKER_LOG_DIR } from '../run-files/run-dir.js';
import type { SupervisorMessage, WorkerMessage } from '../common/worker-messages.js';
import { ChildRun } from './child-run.js';

/** A user's command instead of a Node worker: no IPC, its output to `onOutput`, its own environment kept. */
export interface CommandSpawn {
  file: string;
  args: readonly string[];
  cwd: string | null;
  onOutput: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
}

export interface WorkerSpawnOptions {
  workerId: number;
  script: string;
  args: readonly string[];
  command?: CommandSpawn;
  heapMb: number | null;
  timeoutMs: number;
  killGraceMs: number;
  stderrFile: string;
  onMessage: (message: WorkerMessage) => void;
}

export interface RawWorkerExit {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The signal that ended a worker we terminated (timeout or stop), or null if it ended by itself. */
  terminatedBy: 'SIGTERM' | 'SIGKILL' | null;
  durationMs: number;
  spawnError: string | null;
}

/** Where worker `id`'s output goes, relative to the container's directory. */
export function workerLogName(workerId: number): string {
  return `${WORKER_LOG_DIR}/worker-${workerId}.log`;
}

/** Every Node worker's entry point. */
export const WORKER_SCRIPT = fileURLToPath(new URL('../worker/main.js', import.meta.url));

/** The kernel picks the process with the highest score first, so workers die before the supervisor. */
export const WORKER_OOM_SCORE_ADJ = 1000;
const ORPHAN_OUTPUT_GRACE_MS = 500;

export class WorkerProcess {
  readonly id: number;
  readonly pid: number | null;
  readonly exited: Promise<RawWorkerExit>;
  readonly #run: ChildRun;
  #stopRequested = false;

  constructor(options: WorkerSpawnOptions) {
    this.id = options.workerId;
    const started = Date.now();
    this.#run = options.command ? startCommand(options, options.command) : startWorker(options);
    this.pid = this.#run.child.pid ?? null;
    if (this.pid !== null) raiseOomScore(this.pid);
    this.#run.child.on('message', (message: unknown) => {
      if (isWorkerMessage(message)) options.onMessage(message);
    });
    this.exited = this.#run.ended.then((end) => {
      const weEndedIt = end.timedOut || this.#stopRequested;
      return {
        exitCode: end.exitCode,
        signal: end.signal,
        timedOut: end.timedOut,
        terminatedBy: weEndedIt && (end.signal === 'SIGTERM' || end.signal === 'SIGKILL') ? end.signal : null,
        durationMs: Date.now() - started,
        spawnError: end.spawnError,
      };
    });
  }

  send(message: SupervisorMessage): void {
    const child = this.#run.child;
    if (!child.connected) return;
    // The worker may be gone already; its exit is reported through `exited`.
    child.send(message, (error) => void error);
  }

  /** SIGTERM now, SIGKILL after the grace period. */
  stop(): void {
    this.#stopRequested = true;
    this.#run.terminate();
  }
}

function startWorker(options: WorkerSpawnOptions): ChildRun {
  const nodeArgs = ['--expose-gc', ...(options.heapMb === null ? [] : [`--max-old-space-size=${options.heapMb}`])];
  // stdout and stderr both go to the worker's log file; the supervisor reads its tail after the exit.
  const log = openSync(options.stderrFile, 'a');
  try {
    return new ChildRun({
      file: process.execPath,
      args: [...nodeArgs, options.script, ...options.args],
      spawn: { stdio: ['ignore', log, log, 'ipc'], serialization: 'json' },
      timeoutMs: options.timeoutMs,
      killGraceMs: options.killGraceMs,
    });
  } finally {
    closeSync(log);
  }
}

function startCommand(options: WorkerSpawnOptions, command: CommandSpawn): ChildRun {
  // No IPC channel: a Node program in the user's tree would otherwise find one and hold it open.
  const run = new ChildRun({
    file: command.file,
    args: command.args,
    spawn: { stdio: ['ignore', 'pipe', 'pipe'], ...(command.cwd ? { cwd: command.cwd } : {}) },
    timeoutMs: options.timeoutMs,
    killGraceMs: options.killGraceMs,
  });
  const { stdout, stderr } = run.child;
  stdout?.on('data', (chunk: Buffer) => command.onOutput(chunk, 'stdout'));
  stderr?.on('data', (chunk: Buffer) => command.onOutput(chunk, 'stderr'));
  // Children the command left behind hold its pipes open: once it has exited (and what it wrote has drained),
  // its end is its end, and their later output is not waited for.
  run.child.on('exit', () => {
    setTimeout(() => {
      stdout?.destroy();
      stderr?.destroy();
    }, ORPHAN_OUTPUT_GRACE_MS).unref();
  });
  return run;
}

function raiseOomScore(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/oom_score_adj`, String(WORKER_OOM_SCORE_ADJ));
  } catch {
    // Not fatal: without it the kernel may pick the supervisor, and the engine's figures still tell the story.
  }
}

function isWorkerMessage(message: unknown): message is WorkerMessage {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string';
}
