import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root: this file runs as dist/test/helpers/paths.js. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function fixture(...parts: string[]): string {
  return join(REPO_ROOT, 'fixtures', ...parts);
}

export const OOM_HARNESS_BIN = join(REPO_ROOT, 'dist', 'bundled', 'harness', 'oom-harness.js');
export const RUN_IN_DOCKER_BIN = join(REPO_ROOT, 'dist', 'bundled', 'harness', 'run-in-docker.js');
