// Node sizes its heap from the host's RAM, not the cap; this rule sizes it from the cap instead, for the most workers
// that may run at once (with --workers auto, the most it may run).
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

/** The heap --workers auto leaves each worker at least, when heaps are sized by the rule above. */
export const AUTO_MIN_WORKER_HEAP_MIB = 256;
/** What one Node worker takes of --pids-limit (threads count): Node's own threads and libuv's pool; and the rest. */
const PIDS_PER_WORKER = 12;
const PIDS_RESERVE = 24;

/**
 * The most workers --workers auto may run: the CPUs (--cpus rounded down when a quota is set, else the host's; a
 * remote engine with more gets no more than this host's, and the supervisor keeps to those its container sees); no
 * more than leave each a heap of 256 MiB by the rule above (with --worker-heap-mb auto: so that auto does not make
 * a worker die by V8's limit where one alone would not); and within --pids-limit.
 */
export function autoWorkerLimit(run: { cpus: number | null; capBytes: number; heapByRule: boolean; pidsLimit: number }, hostCpus = availableParallelism()): number {
  const byCpus = Math.floor(run.cpus ?? hostCpus);
  const byHeap = run.heapByRule ? Math.floor(((run.capBytes / MIB - HEAP_RESERVE_MIB) * HEAP_SHARE) / AUTO_MIN_WORKER_HEAP_MIB) : Infinity;
  const byPids = Math.floor((run.pidsLimit - PIDS_RESERVE) / PIDS_PER_WORKER);
  return Math.max(1, Math.min(64, byCpus, byHeap, byPids));
}
