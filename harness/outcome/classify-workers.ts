// Classifies a run from its workers' exits, as the supervisor sees them inside the container.
import type { WorkerExit } from '../run-files/summary.js';
import type { Verdict } from '../common/verdict.js';
import { describeDeath } from './describe-death.js';

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

function who(worker: WorkerExit): string {
  return `worker ${worker.worker_id} (pid ${worker.pid ?? '?'})`;
}

/** The run's verdict from its workers: the most telling death wins (an OOM over a timeout over a crash). */
export function classifyWorkers(workers: readonly WorkerExit[], interruptedBy: string | null, inputErrors: readonly string[] = []): Classification {
  if (interruptedBy) return { verdict: 'interrupted', reason: `the supervisor received ${interruptedBy}` };
  const deaths = workers.map((worker) => ({ worker, death: describeDeath(worker) }));
  for (const verdict of ['cgroup-oom', 'heap-oom', 'timeout', 'killed-not-oom', 'crashed'] as const) {
    const found = deaths.find(({ death }) => death.verdict === verdict);
    if (!found) continue;
    const detail = verdict === 'crashed' && found.worker.error ? `: ${found.worker.error}` : '';
    return { verdict, reason: `${who(found.worker)} ${found.death.words}${detail}` };
  }
  if (inputErrors.length > 0) return { verdict: 'crashed', reason: `a worker could not read its input: ${inputErrors.join('; ')}` };
  return { verdict: 'completed', reason: `${workers.length} worker(s) exited 0` };
}
