// Docker tests run against a real engine; without one they skip loudly, and in CI they fail instead.
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { connectEngine } from '../../harness/container-runtime/docker-client.js';
import { LABEL_MANAGED } from '../../harness/container-runtime/labels.js';
import { REPO_ROOT } from './paths.js';

let cached: Promise<Docker | string> | null = null;

function connect(): Promise<Docker | string> {
  cached ??= (async () => {
    // The engine the harness itself would choose: DOCKER_HOST, then the Docker context.
    try {
      return (await connectEngine()).docker;
    } catch (error) {
      return (error as Error).message;
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

/** The Debian image with python3 the exec tests run foreign workloads in. */
export const DEBIAN = process.env.OOM_HARNESS_DEBIAN_IMAGE ?? 'oom-harness-test/debian-python:bookworm';

/** The Debian image, built offline once (scripts/build-test-images); false after a loud skip when it cannot be. */
export async function debianOrSkip(t: TestContext): Promise<boolean> {
  if (!(await engineOrSkip(t))) return false;
  const built = await execa('bash', [join(REPO_ROOT, 'scripts', 'build-test-images')], { reject: false });
  if (built.exitCode === 0) return true;
  const reason = `SKIPPED: the Debian test image could not be built here: ${String(built.stderr).trim().split('\n').at(-1)}`;
  if (process.env.OOM_HARNESS_REQUIRE_ENGINE === '1') throw new Error(reason);
  process.stderr.write(`\n!!! ${reason}\n`);
  t.skip(reason);
  return false;
}
