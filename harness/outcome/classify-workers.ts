// Classifies a run from its workers' exits, as the supervisor sees them inside the container.
import type { WorkerExit } from '../run-files/summary.js';
import type { Verdict } from '../common/verdict.js';

export interface Classification {
  verdict: Verdict;
  reason: string;
}

const HEAP_OOM_PATTERN = /JavaScript heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit/;

/** V8 aborts (SIGABRT, which a shell reports as 134) and says so on stderr when the heap limit is reached. */
export function isHeapOom(exit: { exitCode: number | null; signal: string | null; stderrTail: string }): boolean {
  const aborted = exit.signal === 'SIGABRT' || exit.exitCode === 134;
  return aborted && HEAP_OOM_PATTERN.test(exit.stderrTail);
}

function describe(worker: WorkerExit): string {
  const how = worker.signal ? `signal ${worker.signal}` : `exit code ${worker.exit_code}`;
  return `worker ${worker.worker_id} (pid ${worker.pid ?? '?'}) ended by ${how}`;
}

export function classifyWorkers(workers: readonly WorkerExit[], interruptedBy: string | null, inputErrors: readonly string[] = []): Classification {
  if (interruptedBy) return { verdict: 'interrupted', reason: `the supervisor received ${interruptedBy}` };
  const oom = workers.find((w) => w.oom_killed);
  if (oom) return { verdict: 'cgroup-oom', reason: `${describe(oom)}; the cgroup's oom_kill counter rose` };
  const heap = workers.find((w) => w.heap_oom);
  if (heap) return { verdict: 'heap-oom', reason: `${describe(heap)}: JavaScript heap out of memory` };
  const timedOut = workers.find((w) => w.timed_out);
  if (timedOut) {
    return { verdict: 'timeout', reason: `${describe(timedOut)} after its timeout (terminated by ${timedOut.terminated_by ?? 'unknown'})` };
  }
  const killed = workers.find((w) => w.signal === 'SIGKILL');
  if (killed) return { verdict: 'killed-not-oom', reason: `${describe(killed)} with no OOM kill counted by the cgroup` };
  const failed = workers.find((w) => w.exit_code !== 0 || w.signal !== null);
  if (failed) return { verdict: 'crashed', reason: failed.error ? `${describe(failed)}: ${failed.error}` : describe(failed) };
  if (inputErrors.length > 0) return { verdict: 'crashed', reason: `a worker could not read its input: ${inputErrors.join('; ')}` };
  return { verdict: 'completed', reason: `${workers.length} worker(s) exited 0` };
}
