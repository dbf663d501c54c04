// Node sizes its heap from the host's RAM, not the cap; this rule sizes it from the cap instead, for the most workers
// that may run at once (with --workers auto, the CPUs the run is given).
import { availableParallelism } from 'node:os';

const MIB = 1024 * 1024;
/** Left for the supervisor, the Node runtime's own memory and the page cache. */
export const HEAP_RESERVE_MIB = 64;
export const HEAP_SHARE = 0.75;
export const MIN_WORKER_HEAP_MIB = 32;

/**
 * max-old-space-size = 75% of (cap − 64 MiB) divided among the workers, at least 16 MiB.
 * A worker that fills its JS heap then dies by V8's limit (heap-oom) before the cap; one that grows
 * native memory (Buffers, pdf.js data) still meets the kernel's OOM killer (cgroup-oom).
 */
export function workerHeapMib(capBytes: number, workers: number): number {
  const share = ((capBytes / MIB - HEAP_RESERVE_MIB) * HEAP_SHARE) / workers;
  return Math.max(MIN_WORKER_HEAP_MIB, Math.floor(share));
}

/**
 * --workers auto: no more workers than CPUs, --cpus rounded down when a quota is set, else the host's (a remote engine
 * with more CPUs gets no more than this host's; the supervisor also keeps to the CPUs its container sees).
 */
export function autoWorkerLimit(cpus: number | null, hostCpus = availableParallelism()): number {
  return Math.min(64, Math.max(1, Math.floor(cpus ?? hostCpus)));
}
