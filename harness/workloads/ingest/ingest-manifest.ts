// ingest_manifest.json: every batch of the PDF ingest, replaced atomically by the supervisor as batches go (at most
// 250 ms behind them, at once on a worker's death), and read back by the host through safe-fs.
import * as z from 'zod';
import type { RunDir } from '../../run-files/run-dir.js';
import { readValidJson } from '../../run-files/safe-fs.js';
import type { IngestSpec } from './spec.js';

export const INGEST_MANIFEST_FILE = 'ingest_manifest.json';

export const INGEST_STATUSES = ['running', 'completed', 'partial_failure', 'interrupted', 'oom'] as const;
export type IngestStatus = (typeof INGEST_STATUSES)[number];

const PageRangeSchema = z.object({ file_index: z.number().int(), first_page: z.number().int(), last_page: z.number().int() });

export const BatchRecordSchema = z.object({
  id: z.number().int(),
  label: z.string(),
  worker_id: z.number().int(),
  worker_pid: z.number().int().nullable(),
  /** Page ranges by file, e.g. [{ file_index: 0, first_page: 11, last_page: 20 }]. */
  spans: z.array(PageRangeSchema),
  pages: z.string(),
  items: z.number().int(),
  bytes: z.number().int(),
  trigger: z.enum(['count', 'bytes', 'wait', 'end']),
  oversized_item: z.boolean(),
  /** flushing: started and not ended; in_flight_at_death: its worker died before the flush ended. */
  status: z.enum(['flushing', 'flushed', 'failed', 'in_flight_at_death']),
  error: z.string().nullable(),
  attempts: z.number().int().nullable(),
  duration_ms: z.number().nullable(),
  rss_mb: z.number().nullable(),
  started_at: z.string(),
});
export type BatchRecord = z.infer<typeof BatchRecordSchema>;

export const IngestInputRecordSchema = z.object({
  name: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string(),
  pages: z.number().int().nullable(),
  error: z.string().nullable(),
  /** How the workers read it: "in parts of 400 pages", or "whole: " and why. Absent in bundles of earlier versions. */
  read_as: z.string().nullable().optional(),
});
export type IngestInputRecord = z.infer<typeof IngestInputRecordSchema>;

/** Where a worker was when it died: the range it held, the page it was on, the batch it was assembling. */
export const CulpritSchema = z.object({
  worker_id: z.number().int(),
  file: z.string(),
  file_index: z.number().int(),
  range: z.object({ first_page: z.number().int(), last_page: z.number().int() }),
  /** The page being extracted when it died (null: it had not started on the range). */
  page: z.number().int().nullable(),
  pages_extracted_in_range: z.number().int(),
  /** Pages extracted but not yet in a batch: the batch being assembled. */
  assembling: z.object({ first_page: z.number().int(), last_page: z.number().int(), items: z.number().int() }).nullable(),
  /** The batch being flushed when it died, if one was (its id in `batches`). */
  batch_in_flight_id: z.number().int().nullable(),
});
export type Culprit = z.infer<typeof CulpritSchema>;

/** --workers auto: the most workers it may run, how many it runs now and at most so far, and why. */
export const AutoWorkersSchema = z.object({
  limit: z.number().int().positive(),
  now: z.number().int().positive(),
  highest: z.number().int().positive(),
  /** The largest RSS a worker reported at a batch's end: what the count is sized by. */
  worker_rss_mb: z.number().int().nullable(),
  why: z.string(),
});
export type AutoWorkers = z.infer<typeof AutoWorkersSchema>;

export const IngestManifestSchema = z.object({
  schema: z.literal('oom-harness/ingest-manifest@1'),
  run_id: z.string(),
  status: z.enum(INGEST_STATUSES),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  updated_at: z.string(),
  inputs: z.array(IngestInputRecordSchema),
  total_pages: z.number().int().nullable(),
  options: z.record(z.string(), z.unknown()),
  /** Pages whose text a worker extracted, in finished ranges and in the range a worker died in. */
  pages_done: z.number().int(),
  /** Pages in batches the sink accepted: never more than pages_done. */
  pages_flushed: z.number().int(),
  batches: z.array(BatchRecordSchema),
  failed_batches: z.array(BatchRecordSchema),
  /** The batch being flushed when a worker died, if one was. */
  batch_in_flight: BatchRecordSchema.nullable(),
  /** The first worker that died mid-range: where it was. */
  culprit: CulpritSchema.nullable(),
  /** Ranges a worker was given but did not finish. */
  unfinished_ranges: z.array(PageRangeSchema.extend({ worker_id: z.number().int(), file: z.string() })),
  input_errors: z.array(z.string()),
  workers_started: z.number().int(),
  worker_retirements: z.array(z.object({ worker_id: z.number().int(), reason: z.enum(['pages', 'rss']), rss_mb: z.number() })),
  /** With --workers auto; null with a count (and in manifests from before it existed). */
  auto_workers: AutoWorkersSchema.nullable().default(null),
});
export type IngestManifest = z.infer<typeof IngestManifestSchema>;

/** About 500 bytes a batch: 16 MiB is some 30,000 batches. */
const MAX_INGEST_MANIFEST_BYTES = 16 * 1024 * 1024;

/** ingest_manifest.json as the supervisor last replaced it, or null for a run with no ingest. */
export function readIngestManifest(run: RunDir): IngestManifest | null {
  return readValidJson(() => run.containerFile(INGEST_MANIFEST_FILE), IngestManifestSchema, MAX_INGEST_MANIFEST_BYTES);
}

/** The options the run's ingest went by, as the manifest records them. */
export function recordedOptions(workload: IngestSpec, workers: number | 'auto'): IngestManifest['options'] {
  const { range_pages, pages_per_worker, part_pages, worker_rss_limit_mb, sink, flush_retries, slow_page_ms } = workload;
  const { max_items: batch_size, max_bytes, max_wait_ms } = workload.batch;
  return { workers, range_pages, pages_per_worker, part_pages, worker_rss_limit_mb, batch_size, max_bytes, max_wait_ms, sink, flush_retries, slow_page_ms };
}
