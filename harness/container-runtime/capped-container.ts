// One capped container's life: create, start, wait, inspect, remove. Stop and remove happen at most once.
import type Docker from 'dockerode';
import { ignoreAlreadyDone, statusCodeOf } from './docker-client.js';

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

  /** Resolves with the exit code once the container stops, however it stops. */
  async wait(): Promise<number | null> {
    const result = (await this.#container.wait()) as { StatusCode?: number };
    return typeof result.StatusCode === 'number' ? result.StatusCode : null;
  }

  async inspect(): Promise<Docker.ContainerInspectInfo> {
    return this.#container.inspect();
  }

  async endState(): Promise<ContainerEndState> {
    const state = (await this.inspect()).State;
    return {
      exitCode: state.ExitCode,
      oomKilled: state.OOMKilled,
      startedAt: validTime(state.StartedAt),
      finishedAt: validTime(state.FinishedAt),
      error: state.Error || null,
    };
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
