// The PDF ingest's spec, as run-config.json carries it: the inputs as mounted, ranges, recycling, batching, sink.
import * as z from 'zod';

export const InputFileSchema = z.object({
  name: z.string().min(1),
  container_path: z.string().min(1),
  size_bytes: z.number().int().min(0),
  sha256: z.string(),
});
export type InputFile = z.infer<typeof InputFileSchema>;

export const BatchLimitsSchema = z.object({
  max_items: z.number().int().positive(),
  max_bytes: z.number().int().positive(),
  max_wait_ms: z.number().int().positive(),
});
export type BatchLimits = z.infer<typeof BatchLimitsSchema>;

export const SinkConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mock'),
    latency_ms: z.number().int().min(0),
    fail_rate: z.number().min(0).max(1),
    retain_mb: z.number().min(0),
    seed: z.number().int(),
  }),
  z.object({ kind: z.literal('jsonl'), file: z.string().min(1) }),
]);
export type SinkConfig = z.infer<typeof SinkConfigSchema>;

export const IngestSpecSchema = z.object({
  kind: z.literal('ingest'),
  inputs: z.array(InputFileSchema).min(1),
  range_pages: z.number().int().positive(),
  pages_per_worker: z.number().int().positive(),
  /** Workers read each input as PDFs of at most this many pages cut from it; 0 reads it whole. */
  part_pages: z.number().int().min(0),
  worker_rss_limit_mb: z.number().positive(),
  batch: BatchLimitsSchema,
  sink: SinkConfigSchema,
  flush_retries: z.number().int().min(0),
  slow_page_ms: z.number().int().min(0),
});
export type IngestSpec = z.infer<typeof IngestSpecSchema>;
