// One capped container's life: create, start, wait, inspect, remove. Stop and remove happen at most once.
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { errorMessage } from '../common/harness-error.js';
import { ignoreAlreadyDone, statusCodeOf } from './docker-client.js';

const WATCHDOG_POLL_MS = 2000;
const WATCHDOG_FAILURES = 3;

export interface ContainerEndState {
  exitCode: number | null;
  oomKilled: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export class CappedContainer {
  readonly id: string;
  readonly #container: Docker.Container;
  #stopping: Promise<void> | null = null;
  #removing: Promise<void> | null = null;

  private constructor(container: Docker.Container) {
    this.#container = container;
    this.id = container.id;
  }

  static async create(docker: Docker, spec: Docker.ContainerCreateOptions): Promise<CappedContainer> {
    return new CappedContainer(await docker.createContainer(spec));
  }

  async start(): Promise<void> {
    await this.#container.start();
  }

  /**
   * Resolves with the exit code once the container stops, however it stops. The engine's wait call alone is not
   * enough: if the engine goes away after answering with headers, the request never ends. A watchdog inspects the
   * container every few seconds and fails after repeated errors, so a lost engine becomes an error, not a hang.
   */
  async wait(pollMs = WATCHDOG_POLL_MS): Promise<number | null> {
    const controller = new AbortController();
    const waited = (this.#container.wait({ abortSignal: controller.signal }) as Promise<{ StatusCode?: number }>).then((result) =>
      typeof result.StatusCode === 'number' ? result.StatusCode : null,
    );
    const watched = this.#watchdog(controller.signal, pollMs);
    // Whichever loses is aborted below; its rejection is expected and not an error.
    waited.catch(() => undefined);
    watched.catch(() => undefined);
    try {
      return await Promise.race([waited, watched]);
    } finally {
      controller.abort();
    }
  }

  async #watchdog(signal: AbortSignal, pollMs: number): Promise<number | null> {
    let failures = 0;
    let lastError: unknown = null;
    for (;;) {
      await sleep(pollMs, undefined, { signal });
      try {
        const state = (await this.#container.inspect({ abortSignal: signal })).State;
        failures = 0;
        if (!state.Running && state.Status !== 'created') return state.ExitCode;
      } catch (error) {
        if (signal.aborted) throw error;
        failures += 1;
        lastError = error;
        if (failures >= WATCHDOG_FAILURES) {
          throw new Error(`lost the engine while waiting for container ${this.id.slice(0, 12)}: ${errorMessage(lastError)}`, { cause: lastError });
        }
      }
    }
  }

  /** Streams what the container writes (stdout, stderr) as it writes it; returns a function that stops following. */
  async follow(onOutput: (chunk: Buffer, stream: 'stdout' | 'stderr') => void): Promise<() => void> {
    const stream = (await this.#container.logs({ follow: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream & { destroy?: () => void };
    const sink = (name: 'stdout' | 'stderr') =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          onOutput(chunk, name);
          done();
        },
      });
    this.#container.modem.demuxStream(stream, sink('stdout'), sink('stderr'));
    stream.on('error', () => undefined);
    return () => stream.destroy?.();
  }

  async inspect(): Promise<Docker.ContainerInspectInfo> {
    return this.#container.inspect();
  }

  /** SIGTERM to the container's init, SIGKILL after `graceSeconds`; a second call waits on the first. */
  stop(graceSeconds: number): Promise<void> {
    this.#stopping ??= ignoreAlreadyDone(this.#container.stop({ t: graceSeconds }));
    return this.#stopping;
  }

  /** SIGKILL at once, for a second interrupt; a container already stopped or gone is fine. */
  async kill(): Promise<void> {
    try {
      await ignoreAlreadyDone(this.#container.kill({ signal: 'SIGKILL' }));
    } catch (error) {
      if (statusCodeOf(error) !== 409) throw error; // 409: not running
    }
  }

  remove(): Promise<void> {
    this.#removing ??= ignoreAlreadyDone(this.#container.remove({ force: true, v: true }));
    return this.#removing;
  }
}

function validTime(value: string): string | null {
  return !value || value.startsWith('0001-') ? null : value;
}

/** How the container ended, from one inspect of it. */
export function endStateOf(info: Docker.ContainerInspectInfo): ContainerEndState {
  const state = info.State;
  return {
    exitCode: state.ExitCode,
    oomKilled: state.OOMKilled,
    startedAt: validTime(state.StartedAt),
    finishedAt: validTime(state.FinishedAt),
    error: state.Error || null,
  };
}
