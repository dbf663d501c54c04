// Docker tests run against a real engine; without one they skip loudly, and in CI they fail instead.
import type { TestContext } from 'node:test';
import Docker from 'dockerode';
import { LABEL_MANAGED } from '../../harness/container-runtime/labels.js';

let cached: Promise<Docker | string> | null = null;

function connect(): Promise<Docker | string> {
  cached ??= (async () => {
    const docker = new Docker();
    try {
      await docker.ping();
      return docker;
    } catch (error) {
      return `no Docker engine answers at ${process.env.DOCKER_HOST ?? '/var/run/docker.sock'} (${(error as Error).message})`;
    }
  })();
  return cached;
}

/** The engine, or null after marking the test skipped with a loud reason. Under CI=1 a missing engine fails the test. */
export async function engineOrSkip(t: TestContext): Promise<Docker | null> {
  const docker = await connect();
  if (typeof docker !== 'string') return docker;
  if (process.env.OOM_HARNESS_REQUIRE_ENGINE === '1') throw new Error(`Docker tests must run here, but ${docker}`);
  const reason = `SKIPPED: ${docker}; run scripts/setup to install and start one`;
  process.stderr.write(`\n!!! ${reason}\n`);
  t.skip(reason);
  return null;
}

export async function harnessContainers(docker: Docker): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
}
