// The one place that talks to the Docker engine: connect, describe, and treat "already done" as success.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { HarnessError, errorMessage } from '../common/harness-error.js';
import { loadDockerode } from './load-dockerode.js';
import { describeEndpoint, resolveEngineEndpoint, type EngineEndpoint } from './engine-endpoint.js';

export interface EngineInfo {
  /** Docker or Podman (or another engine's own name), from the engine's version report. */
  product: string;
  engineVersion: string;
  apiVersion: string;
  os: string;
  kernelVersion: string;
  cgroupVersion: string | null;
  cgroupDriver: string | null;
  storageDriver: string | null;
  memTotalBytes: number | null;
}

export interface EngineConnection {
  docker: Docker;
  endpoint: EngineEndpoint;
}

export const ENGINE_START_HINT =
  "Start one (Debian: `sudo apt-get install docker.io`, then `sudo systemctl start docker`; from a clone, `sudo scripts/setup` does both), or choose a running engine " +
  'with DOCKER_HOST (Podman: unix:///run/podman/podman.sock) or `docker context use`.';

/**
 * dockerode's options for an endpoint. DOCKER_HOST is left to dockerode, which also reads DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH for it, as the Docker CLI does; a context carries its own TLS files.
 */
export function dockerOptions(endpoint: EngineEndpoint): Docker.DockerOptions | undefined {
  if (endpoint.source === 'DOCKER_HOST') return undefined;
  const where = endpoint.context === null ? endpoint.host : `context ${JSON.stringify(endpoint.context)}: ${endpoint.host}`;
  let url: URL;
  try {
    url = new URL(endpoint.host);
  } catch (error) {
    throw new HarnessError('BAD_INPUT', `${where}: expected an engine address such as unix:///var/run/docker.sock or tcp://host:2376`, { cause: error });
  }
  if (url.protocol === 'unix:' || url.protocol === 'npipe:') return { socketPath: decodeURIComponent(url.pathname) };
  if (url.protocol === 'ssh:') {
    return { protocol: 'ssh', host: url.hostname, port: url.port || 22, username: decodeURIComponent(url.username), sshOptions: { agent: process.env.SSH_AUTH_SOCK } };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HarnessError('BAD_INPUT', `${where}: expected a unix://, tcp:// or ssh:// address`);
  }
  const tls = endpoint.tlsDir !== null || endpoint.skipTlsVerify || url.protocol === 'https:';
  const options: Docker.DockerOptions & { agent?: Agent } = { host: url.hostname, port: url.port || (tls ? 2376 : 2375), protocol: tls ? 'https' : 'http' };
  if (endpoint.tlsDir !== null) {
    const read = (name: string) => readTlsFile(endpoint.tlsDir!, name, where);
    Object.assign(options, { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') });
  }
  // The context says not to verify the engine's certificate (`docker context create --docker skip-tls-verify=true`).
  if (endpoint.skipTlsVerify) options.agent = new Agent({ rejectUnauthorized: false });
  return options;
}

function readTlsFile(dir: string, name: string, where: string): Buffer | undefined {
  try {
    return readFileSync(join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HarnessError('BAD_INPUT', `${where}: cannot read ${join(dir, name)}: ${errorMessage(error)}`, { cause: error });
  }
}

/** A client for the engine chosen as the Docker CLI would choose it; nothing is asked of the engine yet. */
export function openEngine(endpoint: EngineEndpoint = resolveEngineEndpoint()): { docker: Docker; endpoint: EngineEndpoint } {
  const Dockerode = loadDockerode();
  return { docker: new Dockerode(dockerOptions(endpoint)), endpoint };
}

/**
 * The engine's ping, version and info, asked together (one round trip of latency, which every run pays before its
 * container starts). A failed ping means no engine answers there; an engine that answers the ping and then fails
 * version or info gives its own error.
 */
export async function describeEngine(docker: Docker, endpoint: EngineEndpoint): Promise<EngineInfo> {
  const [ping, engine] = await Promise.allSettled([docker.ping(), readEngineInfo(docker)]);
  if (ping.status === 'rejected') {
    throw new HarnessError('ENGINE_UNAVAILABLE', `no Docker engine answers at ${describeEndpoint(endpoint)}: ${errorMessage(ping.reason)}`, {
      cause: ping.reason,
      hint: ENGINE_START_HINT,
    });
  }
  if (engine.status === 'rejected') throw engine.reason;
  return engine.value;
}

/** The engine chosen as the Docker CLI would choose it, once it has answered, and what it is. */
export async function connectEngine(endpoint: EngineEndpoint = resolveEngineEndpoint()): Promise<EngineConnection & { engine: EngineInfo }> {
  const { docker } = openEngine(endpoint);
  return { docker, endpoint, engine: await describeEngine(docker, endpoint) };
}

/** "Podman" when the engine's version report names it; Docker's report names no product. */
export function engineProduct(version: Pick<Docker.DockerVersion, 'Platform' | 'Components'>): string {
  const names = [version.Platform?.Name ?? '', ...(version.Components ?? []).map((component) => component.Name ?? '')];
  return names.some((name) => /podman/i.test(name)) ? 'Podman' : 'Docker';
}

export async function readEngineInfo(docker: Docker): Promise<EngineInfo> {
  const [version, info] = await Promise.all([docker.version(), docker.info() as Promise<Record<string, unknown>>]);
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    product: engineProduct(version),
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
