// Starts one worker as a child process and reports how it ended, in one shape whatever the ending.
import { writeFileSync } from 'node:fs';
import { execa } from 'execa';
import type { SupervisorMessage, WorkerMessage } from '../common/worker-messages.js';

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

/** The kernel picks the process with the highest score first, so workers die before the supervisor. */
export const WORKER_OOM_SCORE_ADJ = 1000;
const ORPHAN_OUTPUT_GRACE_MS = 500;

export class WorkerProcess {
  readonly id: number;
  readonly pid: number | null;
  readonly exited: Promise<RawWorkerExit>;
  readonly #subprocess: WorkerSubprocess;
  #stopRequested = false;

  constructor(options: WorkerSpawnOptions) {
    this.id = options.workerId;
    const started = Date.now();
    this.#subprocess = startSubprocess(options);
    this.pid = this.#subprocess.pid ?? null;
    if (this.pid !== null) raiseOomScore(this.pid);
    void this.#listen(options.onMessage);
    this.exited = this.#subprocess.then((result) => {
      const signal = result.signal ?? null;
      const weEndedIt = result.timedOut || this.#stopRequested;
      return {
        exitCode: result.exitCode ?? null,
        signal,
        timedOut: result.timedOut,
        terminatedBy: weEndedIt && (signal === 'SIGTERM' || signal === 'SIGKILL') ? signal : null,
        durationMs: Date.now() - started,
        spawnError: result.failed && result.exitCode === undefined && !signal ? (result.shortMessage ?? null) : null,
      };
    });
  }

  async #listen(onMessage: (message: WorkerMessage) => void): Promise<void> {
    try {
      if (!this.#subprocess.getEachMessage) return;
      for await (const message of this.#subprocess.getEachMessage()) {
        if (isWorkerMessage(message)) onMessage(message);
      }
    } catch {
      // The channel closes when the worker dies; its exit is reported through `exited`.
    }
  }

  send(message: SupervisorMessage): void {
    this.#subprocess.sendMessage?.(message).catch(() => {
      // The worker may be gone already; its exit is reported through `exited`.
    });
  }

  /** SIGTERM now, SIGKILL after the grace period (execa's forceKillAfterDelay). */
  stop(): void {
    this.#stopRequested = true;
    this.#subprocess.kill('SIGTERM');
  }
}

type WorkerSubprocess = ReturnType<typeof startSubprocess>;

function startSubprocess(options: WorkerSpawnOptions) {
  if (options.command) return startCommand(options, options.command);
  const nodeArgs = ['--expose-gc', ...(options.heapMb === null ? [] : [`--max-old-space-size=${options.heapMb}`])];
  return execa(process.execPath, [...nodeArgs, options.script, ...options.args], {
    ipc: true,
    serialization: 'json',
    buffer: { ipc: false, stdout: false, stderr: false },
    stdin: 'ignore',
    // stdout and stderr both go to the worker's log file; the supervisor reads its tail after the exit.
    stdout: { file: options.stderrFile, append: true },
    stderr: { file: options.stderrFile, append: true },
    timeout: options.timeoutMs,
    killSignal: 'SIGTERM',
    forceKillAfterDelay: options.killGraceMs,
    reject: false,
    cleanup: true,
  });
}

function startCommand(options: WorkerSpawnOptions, command: CommandSpawn) {
  // No IPC channel: a Node program in the user's tree would otherwise find one and hold it open.
  const subprocess = execa(command.file, [...command.args], {
    buffer: { stdout: false, stderr: false },
    stdin: 'ignore',
    ...(command.cwd ? { cwd: command.cwd } : {}),
    timeout: options.timeoutMs,
    killSignal: 'SIGTERM',
    forceKillAfterDelay: options.killGraceMs,
    reject: false,
    cleanup: true,
  });
  subprocess.stdout?.on('data', (chunk: Buffer) => command.onOutput(chunk, 'stdout'));
  subprocess.stderr?.on('data', (chunk: Buffer) => command.onOutput(chunk, 'stderr'));
  // Children the command left behind hold its pipes open: once it has exited (and what it wrote has drained),
  // its end is its end, and their later output is not waited for.
  subprocess.on('exit', () => {
    setTimeout(() => {
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    }, ORPHAN_OUTPUT_GRACE_MS).unref();
  });
  return subprocess;
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
