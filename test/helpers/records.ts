import type { WorkerExit } from '../../harness/run-files/summary.js';
import type { IngestSpec } from '../../harness/workloads/ingest/spec.js';

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

/** An ingest spec with the CLI's defaults for one input, as run-config.json carries it. */
export function ingestSpec(overrides: Partial<IngestSpec> = {}): IngestSpec {
  return {
    kind: 'ingest',
    inputs: [{ name: 'doc.pdf', container_path: '/input/doc.pdf', size_bytes: 1000, sha256: 'ab' }],
    range_pages: 50,
    pages_per_worker: 1000,
    part_pages: 400,
    worker_rss_limit_mb: 512,
    batch: { max_items: 10, max_bytes: 5_000_000, max_wait_ms: 5000 },
    sink: { kind: 'mock', latency_ms: 0, fail_rate: 0, retain_mb: 0, seed: 1 },
    flush_retries: 2,
    slow_page_ms: 0,
    ...overrides,
  };
}
