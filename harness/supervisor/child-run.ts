// One child process on node:child_process, ended in one shape however it ends: by itself, by its timeout, or by
// stop(); SIGTERM first, SIGKILL after the grace period. The supervisor starts every worker through this, so no
// process library is loaded before the first sample.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface ChildEnd {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Set when the process could not be started at all (a missing command). */
  spawnError: string | null;
}

export interface ChildRunOptions {
  file: string;
  args: readonly string[];
  spawn: SpawnOptions;
  timeoutMs: number;
  killGraceMs: number;
}

export class ChildRun {
  readonly child: ChildProcess;
  readonly ended: Promise<ChildEnd>;
  readonly #killGraceMs: number;
  #timedOut = false;
  #forceKill: NodeJS.Timeout | null = null;

  constructor(options: ChildRunOptions) {
    this.#killGraceMs = options.killGraceMs;
    this.child = spawn(options.file, [...options.args], options.spawn);
    const timeout = setTimeout(() => {
      this.#timedOut = true;
      this.terminate();
    }, options.timeoutMs);
    this.ended = new Promise((resolve) => {
      let spawnError: string | null = null;
      this.child.on('error', (error: NodeJS.ErrnoException) => {
        // Only a process that never started is reported as such; a failed kill() is not an end.
        if (this.child.pid === undefined) spawnError = `Command failed with ${error.code ?? 'an error'}: ${options.file}\n${error.message}`;
      });
      this.child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timeout);
        if (this.#forceKill) clearTimeout(this.#forceKill);
        resolve({ exitCode: spawnError ? null : code, signal, timedOut: this.#timedOut, spawnError });
      });
    });
  }

  /** SIGTERM now, SIGKILL after the grace period unless it has ended by then. */
  terminate(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    this.#forceKill ??= setTimeout(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }, this.#killGraceMs);
  }
}
