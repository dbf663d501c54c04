// ingest_manifest.json: every batch of the PDF ingest, replaced atomically after each one by the supervisor.
import type { BatchTrigger, PageRange } from './worker-messages.js';

export const INGEST_MANIFEST_FILE = 'ingest_manifest.json';

export type IngestStatus = 'running' | 'completed' | 'partial_failure' | 'interrupted' | 'oom';

export interface BatchRecord {
  id: number;
  label: string;
  worker_id: number;
  worker_pid: number | null;
  /** Page ranges by file, e.g. [{ file_index: 0, first_page: 11, last_page: 20 }]. */
  spans: PageRange[];
  pages: string;
  items: number;
  bytes: number;
  trigger: BatchTrigger;
  oversized_item: boolean;
  /** flushing: started and not ended; in_flight_at_death: its worker died before the flush ended. */
  status: 'flushing' | 'flushed' | 'failed' | 'in_flight_at_death';
  error: string | null;
  attempts: number | null;
  duration_ms: number | null;
  rss_mb: number | null;
  started_at: string;
}

export interface IngestInputRecord {
  name: string;
  size_bytes: number;
  sha256: string;
  pages: number | null;
  error: string | null;
}

export interface IngestManifest {
  schema: 'oom-harness/ingest-manifest@1';
  run_id: string;
  status: IngestStatus;
  started_at: string;
  ended_at: string | null;
  updated_at: string;
  inputs: IngestInputRecord[];
  total_pages: number | null;
  options: Record<string, unknown>;
  /** Pages of ranges the workers finished extracting. */
  pages_done: number;
  /** Pages in batches the sink accepted. */
  pages_flushed: number;
  batches: BatchRecord[];
  failed_batches: BatchRecord[];
  /** The batch being flushed when a worker died, if one was. */
  batch_in_flight: BatchRecord | null;
  /** Ranges a worker was given but did not finish. */
  unfinished_ranges: Array<PageRange & { worker_id: number; file: string }>;
  input_errors: string[];
  workers_started: number;
  worker_retirements: Array<{ worker_id: number; reason: 'pages' | 'rss'; rss_mb: number }>;
}
