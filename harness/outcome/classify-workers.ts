// Classifies a run from its workers' exits, as the supervisor sees them inside the container.
import type { Victim, WorkerExit } from '../run-files/summary.js';
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
  return `${worker.name ?? `worker ${worker.worker_id}`} (pid ${worker.pid ?? '?'})`;
}

/** What the kernel saw besides the workers' own exits. */
export interface RunEvidence {
  /** OOM kills the cgroup counted during the run. */
  oomKills: number;
  victims: readonly Victim[];
  pidsLimitHits: number;
}

const NO_EVIDENCE: RunEvidence = { oomKills: 0, victims: [], pidsLimitHits: 0 };

function victimText(victims: readonly Victim[]): string {
  if (victims.length === 0) return 'a process the sampler had not seen yet';
  return victims.map((victim) => `${victim.comm} (pid ${victim.pid}, ${victim.last_pss_mb ?? victim.last_rss_mb} MiB when last sampled)`).join(', ');
}

/** The run's verdict from its workers: the most telling death wins (an OOM over a timeout over a crash). */
export function classifyWorkers(
  workers: readonly WorkerExit[],
  interruptedBy: string | null,
  inputErrors: readonly string[] = [],
  evidence: RunEvidence = NO_EVIDENCE,
): Classification {
  if (interruptedBy) return { verdict: 'interrupted', reason: `the supervisor received ${interruptedBy}` };
  const deaths = workers.map((worker) => ({ worker, death: describeDeath(worker) }));
  const killed = deaths.find(({ death }) => death.verdict === 'cgroup-oom');
  if (killed) return { verdict: 'cgroup-oom', reason: `${who(killed.worker)} ${killed.death.words}` };
  // The OOM killer can take a child while the root survives (a test runner replaces a killed worker and passes).
  if (evidence.oomKills > 0) {
    const root = workers[0] ? `; ${who(workers[0])} ${describeDeath(workers[0]).words}` : '';
    return { verdict: 'cgroup-oom', reason: `the kernel's OOM killer killed ${evidence.oomKills} process(es) in the container: ${victimText(evidence.victims)}${root}` };
  }
  const heap = deaths.find(({ death }) => death.verdict === 'heap-oom');
  if (heap) return { verdict: 'heap-oom', reason: `${who(heap.worker)} ${heap.death.words}` };
  if (evidence.pidsLimitHits > 0) {
    return { verdict: 'pids-limit', reason: `the container reached its pids limit: ${evidence.pidsLimitHits} fork(s) failed there, and the run was ended` };
  }
  for (const verdict of ['timeout', 'killed-not-oom'] as const) {
    const found = deaths.find(({ death }) => death.verdict === verdict);
    if (found) return { verdict, reason: `${who(found.worker)} ${found.death.words}` };
  }
  const crashed = deaths.find(({ death }) => death.verdict === 'crashed');
  if (crashed) {
    const detail = crashed.worker.error ? `: ${crashed.worker.error}` : '';
    return { verdict: 'crashed', reason: `${who(crashed.worker)} ${crashed.death.words}${detail}` };
  }
  if (inputErrors.length > 0) return { verdict: 'crashed', reason: `a worker could not read its input: ${inputErrors.join('; ')}` };
  return { verdict: 'completed', reason: workers.length === 1 && workers[0]!.name ? `${who(workers[0]!)} exited 0` : `${workers.length} worker(s) exited 0` };
}
