// The host-to-container protocol: what the runner asks the in-container supervisor to do.
// Written by the host as run-config.json in the run directory, mounted read-only into the container, and
// validated again there. The container writes only below CONTAINER_OUT_DIR.
import { z } from 'zod';

export const RUN_CONFIG_FILE = 'run-config.json';
/** Where the run config is mounted, read-only, inside the container. */
export const CONTAINER_CONFIG_PATH = '/etc/oom-harness/run-config.json';
/** The container's one writable directory (the run directory's container/ on the host). */
export const CONTAINER_OUT_DIR = '/out';
export const CONTAINER_INPUT_DIR = '/input';

export const SyntheticWorkloadSchema = z.object({
  kind: z.literal('synthetic'),
  /** buffer: native memory outside the V8 heap (dies by cgroup OOM); heap: JS objects (dies by V8 heap limit). */
  memory: z.enum(['buffer', 'heap']),
  step_mb: z.number().positive(),
  step_interval_ms: z.number().int().min(0),
  /** null grows until something stops it. */
  target_mb: z.number().positive().nullable(),
  hold_ms: z.number().int().min(0),
  /** churn: after reaching the target, free and reallocate one chunk at a time this many times. */
  churn_iterations: z.number().int().min(0),
  release: z.boolean(),
  after_release_ms: z.number().int().min(0),
  ending: z.enum(['exit', 'sigkill-self', 'crash', 'hang', 'hang-ignoring-sigterm']),
});
export type SyntheticWorkload = z.infer<typeof SyntheticWorkloadSchema>;

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

export const IngestWorkloadSchema = z.object({
  kind: z.literal('ingest'),
  inputs: z.array(InputFileSchema).min(1),
  range_pages: z.number().int().positive(),
  pages_per_worker: z.number().int().positive(),
  worker_rss_limit_mb: z.number().positive(),
  batch: BatchLimitsSchema,
  sink: SinkConfigSchema,
  flush_retries: z.number().int().min(0),
  slow_page_ms: z.number().int().min(0),
});
export type IngestWorkload = z.infer<typeof IngestWorkloadSchema>;

export const WorkloadSchema = z.discriminatedUnion('kind', [SyntheticWorkloadSchema, IngestWorkloadSchema]);
export type Workload = z.infer<typeof WorkloadSchema>;

export const RunConfigSchema = z.object({
  schema: z.literal('oom-harness/run-config@1'),
  run_id: z.string().min(1),
  cap_bytes: z.number().int().positive(),
  sample_interval_ms: z.number().int().min(20).max(10_000),
  /** Sampling interval while the container is within 15% of its cap. */
  near_cap_sample_interval_ms: z.number().int().min(20).max(10_000),
  workers: z.number().int().positive(),
  worker_timeout_ms: z.number().int().positive(),
  kill_grace_ms: z.number().int().min(0),
  on_worker_death: z.enum(['continue', 'stop']),
  /** --max-old-space-size for each worker, in MiB; null leaves V8's own default. */
  worker_heap_mb: z.number().int().positive().nullable(),
  workload: WorkloadSchema,
});
export type RunConfig = z.infer<typeof RunConfigSchema>;
