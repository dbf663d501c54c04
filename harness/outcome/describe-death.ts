// How one worker ended, in words and as the verdict that ending alone means: the one place that reads the
// exit code, the signal, the timeout and the OOM evidence of a death.
import type { Verdict } from '../common/verdict.js';

export interface DeathFacts {
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
  terminated_by: 'SIGTERM' | 'SIGKILL' | null;
  oom_killed: boolean;
  heap_oom: boolean;
}

export interface Death {
  verdict: Verdict;
  /** "was killed by the kernel's OOM killer", "exited 1": reads after "the worker". */
  words: string;
  /** For a chart or a table: "OOM kill", "exit 1". */
  label: string;
}

export function describeDeath(exit: DeathFacts): Death {
  if (exit.oom_killed) return { verdict: 'cgroup-oom', words: "was killed by the kernel's OOM killer", label: 'OOM kill' };
  if (exit.heap_oom) return { verdict: 'heap-oom', words: 'ran out of V8 heap (JavaScript heap out of memory)', label: 'heap out of memory' };
  if (exit.timed_out) {
    return { verdict: 'timeout', words: `ran past its timeout and was ended by ${exit.terminated_by ?? 'a signal'}`, label: 'timeout' };
  }
  // Ended by the supervisor (another worker died and on_worker_death is stop, or the run was interrupted).
  if (exit.terminated_by) return { verdict: 'interrupted', words: `was stopped by the supervisor (${exit.terminated_by})`, label: 'stopped' };
  if (exit.signal === 'SIGKILL') return { verdict: 'killed-not-oom', words: 'was killed by SIGKILL with no OOM kill counted by the cgroup', label: 'SIGKILL' };
  if (exit.signal) return { verdict: 'crashed', words: `ended by signal ${exit.signal}`, label: exit.signal };
  if (exit.exit_code !== 0) return { verdict: 'crashed', words: `exited ${exit.exit_code ?? 'with no code'}`, label: `exit ${exit.exit_code ?? '?'}` };
  return { verdict: 'completed', words: 'exited 0', label: 'exit 0' };
}

export function diedBadly(exit: DeathFacts): boolean {
  return exit.exit_code !== 0 || exit.signal !== null;
}
