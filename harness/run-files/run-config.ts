// run-config.json, the host-to-container protocol: what the runner asks the in-container supervisor to do.
// Written by the host as run-config.json in the run directory, mounted read-only into the container, and
// validated again there. The container writes only below CONTAINER_OUT_DIR.
import * as z from 'zod';

export const RUN_CONFIG_FILE = 'run-config.json';
export { CONTAINER_CONFIG_PATH, CONTAINER_INPUT_DIR, CONTAINER_OUT_DIR } from './container-paths.js';

export const WorkloadSpecSchema = z.looseObject({ kind: z.string().min(1) });
export type WorkloadSpec = z.infer<typeof WorkloadSpecSchema>;

export const RunConfigSchema = z.object({
  schema: z.literal('oom-harness/run-config@1'),
  run_id: z.string().min(1),
  cap_bytes: z.number().int().positive(),
  sample_interval_ms: z.number().int().min(20).max(10_000),
  /** Sampling interval while the container is within 15% of its cap. */
  near_cap_sample_interval_ms: z.number().int().min(20).max(10_000),
  /** Workers at once; with workers_auto, the most that may run (run/heap-size.ts: the CPUs, the heaps, the pids limit). */
  workers: z.number().int().positive(),
  /** --workers auto: start one, and more up to `workers` while half the cap holds them at the RSS they report. */
  workers_auto: z.boolean().default(false),
  /** With workers_auto, what set `workers`, in words (the CPUs, the heaps, the pids limit). */
  workers_bound: z.string().max(200).nullable().default(null),
  worker_timeout_ms: z.number().int().positive(),
  kill_grace_ms: z.number().int().min(0),
  on_worker_death: z.enum(['continue', 'stop']),
  /** --max-old-space-size for each worker, in MiB; null leaves V8's own default. */
  worker_heap_mb: z.number().int().positive().nullable(),
  /** Record each process's command line (cut to 200 characters) in memory_log.csv; command lines can hold secrets. */
  record_argv: z.boolean(),
  /** The workload's own spec: its `kind` names it, and the workload validates the rest (workloads/registry.ts). */
  workload: WorkloadSpecSchema,
});
export type RunConfig = z.infer<typeof RunConfigSchema>;
