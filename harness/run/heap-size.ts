// Node sizes its heap from the host's RAM, not the cap; this rule sizes it from the cap instead, for the most workers
// that may run at once (with --workers auto, the most it may run).
import { availableParallelism } from 'node:os';

const MIB = 1024 * 1024;
/** Left for the supervisor, the Node runtime's own memory and the page cache. */
export const HEAP_RESERVE_MIB = 64;
export const HEAP_SHARE = 0.75;
export const MIN_WORKER_HEAP_MIB = 32;

/**
 * max-old-space-size = 75% of (cap − 64 MiB) divided among the workers, at least 32 MiB.
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

export interface AutoWorkerLimit {
  workers: number;
  /** What set it, in words: "2 host CPUs", "--cpus 1.5", "heaps of 256 MiB in a 1024 MiB cap", "--pids-limit 48". */
  bound: string;
}

/**
 * The most workers --workers auto may run: the CPUs (--cpus rounded down when a quota is set, else the host's; a
 * remote engine with more gets no more than this host's, and the supervisor keeps to those its container sees); no
 * more than leave each a heap of 256 MiB by the rule above (with --worker-heap-mb auto, so that a heap need under
 * 256 MiB does not meet V8's limit under auto where it would not alone); and within --pids-limit, with room for one
 * warm spare beside them.
 */
export function autoWorkerLimit(run: { cpus: number | null; capBytes: number; heapByRule: boolean; pidsLimit: number }, hostCpus = availableParallelism()): AutoWorkerLimit {
  const capMib = run.capBytes / MIB;
  const bounds: Array<[number, string]> = [
    [Math.floor(run.cpus ?? hostCpus), run.cpus === null ? `${hostCpus} host CPUs` : `--cpus ${run.cpus}`],
    [run.heapByRule ? Math.floor(((capMib - HEAP_RESERVE_MIB) * HEAP_SHARE) / AUTO_MIN_WORKER_HEAP_MIB) : Infinity, `heaps of ${AUTO_MIN_WORKER_HEAP_MIB} MiB in a ${Math.round(capMib)} MiB cap`],
    [Math.floor((run.pidsLimit - PIDS_RESERVE) / PIDS_PER_WORKER) - 1, `--pids-limit ${run.pidsLimit}`],
    [64, 'at most 64'],
  ];
  const [workers, bound] = bounds.reduce((least, next) => (next[0] < least[0] ? next : least));
  return { workers: Math.max(1, workers), bound };
}
