// The one place that talks to the Docker engine: connect, describe, and treat "already done" as success.
import Docker from 'dockerode';
import { HarnessError, errorMessage } from '../common/harness-error.js';

export interface EngineInfo {
  engineVersion: string;
  apiVersion: string;
  os: string;
  kernelVersion: string;
  cgroupVersion: string | null;
  cgroupDriver: string | null;
  storageDriver: string | null;
  memTotalBytes: number | null;
}

export const ENGINE_START_HINT =
  'Start one with `sudo scripts/setup` (installs Debian\'s docker.io and starts dockerd), or point DOCKER_HOST at a running engine.';

export function describeEndpoint(): string {
  return process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
}

export async function connectEngine(): Promise<Docker> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (error) {
    throw new HarnessError('ENGINE_UNAVAILABLE', `no Docker engine answers at ${describeEndpoint()}: ${errorMessage(error)}`, {
      cause: error,
      hint: ENGINE_START_HINT,
    });
  }
  return docker;
}

export async function readEngineInfo(docker: Docker): Promise<EngineInfo> {
  const [version, info] = await Promise.all([docker.version(), docker.info() as Promise<Record<string, unknown>>]);
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    engineVersion: version.Version,
    apiVersion: version.ApiVersion,
    os: text(info.OperatingSystem) ?? version.Os,
    kernelVersion: text(info.KernelVersion) ?? version.KernelVersion,
    cgroupVersion: text(info.CgroupVersion),
    cgroupDriver: text(info.CgroupDriver),
    storageDriver: text(info.Driver),
    memTotalBytes: number(info.MemTotal),
  };
}

export function statusCodeOf(error: unknown): number | null {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : null;
}

/** 304 (already stopped) and 404 (already gone) mean the container is where we wanted it. */
export async function ignoreAlreadyDone(action: Promise<unknown>): Promise<void> {
  try {
    await action;
  } catch (error) {
    const status = statusCodeOf(error);
    if (status === 304 || status === 404) return;
    throw error;
  }
}
