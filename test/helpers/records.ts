import type { WorkerExit } from '../../harness/run-files/summary.js';

/** A worker's exit as summary.json records it, clean unless overridden. */
export function workerExit(overrides: Partial<WorkerExit> = {}): WorkerExit {
  return {
    worker_id: 1,
    name: null,
    pid: 10,
    started_at: '2026-11-24T10:00:00.000Z',
    ended_at: '2026-11-24T10:00:02.000Z',
    duration_ms: 2000,
    exit_code: 0,
    signal: null,
    timed_out: false,
    terminated_by: null,
    oom_killed: false,
    heap_oom: false,
    error: null,
    stderr_file: 'workers/worker-1.log',
    stderr_tail: '',
    peak_rss_mb: null,
    peak_hwm_mb: null,
    ...overrides,
  };
}
