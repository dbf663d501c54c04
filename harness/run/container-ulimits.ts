// The open-file and process limits the container gets, set explicitly: an engine left to choose may ask for more
// than the host's hard limits (Podman asks for 1048576 open files) and then cannot start the container at all.
import type { ContainerUlimits } from '../container-runtime/container-spec.js';
import { readOwnLimits, type ProcLimits } from '../kernel/proc-limits.js';

/** The kernel's default nr_open, the most open files a process may be given. */
export const NOFILE_CEILING = 1_048_576;
/**
 * Podman's API service lowers its own hard process limit to 32768 (seen with 4.3), and without CAP_SYS_RESOURCE it
 * cannot grant a container more. The container's process count is bounded by its pids limit anyway.
 */
export const NPROC_CEILING = 32_768;

/** Soft and hard alike at the host's hard limit (what Docker passes on by default), never above it. */
export function containerUlimits(host: ProcLimits): ContainerUlimits {
  const bounded = (hard: number | null | undefined, ceiling: number) => Math.min(hard ?? ceiling, ceiling);
  return {
    nofile: bounded(host.get('Max open files')?.hard, NOFILE_CEILING),
    nproc: bounded(host.get('Max processes')?.hard, NPROC_CEILING),
  };
}

export function currentContainerUlimits(): ContainerUlimits {
  return containerUlimits(readOwnLimits());
}

/** What to do when the engine refused the limits (its own hard limits are lower than this process's). */
export function ulimitRefusalHint(engineMessage: string, ulimits: ContainerUlimits): string | null {
  if (!/rlimit/i.test(engineMessage)) return null;
  return (
    `the engine could not give the container nofile=${ulimits.nofile} and nproc=${ulimits.nproc}, which are this shell's hard limits ` +
    `(capped at ${NPROC_CEILING} processes); run the harness from a shell with lower ones (ulimit -Hn 4096; ulimit -Hu 4096)`
  );
}
