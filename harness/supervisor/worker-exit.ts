// A worker's exit as summary.json records it: how it ended, whether the kernel's OOM killer or V8's heap limit
// ended it, and the line of its stderr that says what went wrong.
import type { CgroupMemorySnapshot } from '../kernel/cgroup-memory.js';
import { isHeapOom } from '../outcome/classify-workers.js';
import type { WorkerExit } from '../run-files/summary.js';
import type { RawWorkerExit } from './worker-process.js';

export interface ExitFacts {
  workerId: number;
  name: string | null;
  pid: number | null;
  startedAt: string;
  endedAt: string;
  raw: RawWorkerExit;
  stderrTail: string;
  stderrFile: string;
  /** The cgroup's OOM-kill counter rose since the last exit (or, with no counter, usage was at the limit). */
  oomKillCounted: boolean;
  peak: { rssMb: number; hwmMb: number } | null;
}

export function workerExitRecord(facts: ExitFacts): WorkerExit {
  const { raw } = facts;
  // Only a SIGKILL nobody here sent can be the OOM killer's.
  const diedOfSigkill = raw.signal === 'SIGKILL' && raw.terminatedBy === null;
  return {
    worker_id: facts.workerId,
    name: facts.name,
    pid: facts.pid,
    started_at: facts.startedAt,
    ended_at: facts.endedAt,
    duration_ms: raw.durationMs,
    exit_code: raw.exitCode,
    signal: raw.signal,
    timed_out: raw.timedOut,
    terminated_by: raw.terminatedBy,
    oom_killed: diedOfSigkill && facts.oomKillCounted,
    heap_oom: isHeapOom({ exitCode: raw.exitCode, signal: raw.signal, stderrTail: facts.stderrTail }),
    error: raw.spawnError ?? lastErrorLine(facts.stderrTail, raw),
    stderr_file: facts.stderrFile,
    stderr_tail: facts.stderrTail,
    peak_rss_mb: facts.peak?.rssMb ?? null,
    peak_hwm_mb: facts.peak?.hwmMb ?? null,
  };
}

export function nearLimit(cgroup: CgroupMemorySnapshot | null): boolean {
  if (!cgroup?.limitBytes) return false;
  return (cgroup.peakBytes ?? cgroup.usageBytes) >= cgroup.limitBytes * 0.95;
}

/** The line that says what went wrong: V8's fatal error, else the last thrown error, else the last line. */
function lastErrorLine(stderrTail: string, raw: RawWorkerExit): string | null {
  if (raw.exitCode === 0 && raw.signal === null) return null;
  const lines = stderrTail.split('\n').map((line) => line.trim()).filter(Boolean);
  const fatal = lines.find((line) => line.startsWith('FATAL ERROR'));
  const thrown = [...lines].reverse().find((line) => /^(oom-harness worker: )?[A-Za-z]*(Error|Exception)\b/.test(line));
  return fatal ?? thrown ?? lines.at(-1) ?? null;
}
