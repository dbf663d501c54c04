// pod.json: a pod's own account of its run, beside the supervisor's files in the run directory's container/. The
// pod writes it when the run starts and again when it ends, so a pod killed whole still leaves who, what and where.
// Read back by `collect` as untrusted input, like everything a pod wrote.
import * as z from 'zod';
import { VERDICTS } from '../common/verdict.js';
import { ContainerLimitsSchema } from './container-manifest.js';
import { PodImageSchema } from './pod-plan.js';
import type { RunDir } from './run-dir.js';
import { readValidJson, replaceJsonFile } from './safe-fs.js';

export const POD_MANIFEST_FILE = 'pod.json';
const MAX_POD_MANIFEST_BYTES = 1024 * 1024;

export const PodManifestSchema = z.object({
  schema: z.literal('oom-harness/pod-manifest@1'),
  run_id: z.string().min(1),
  /** refused: the pod found its input missing or not the file the Jobs were emitted for, and ran nothing. */
  state: z.enum(['running', 'finished', 'refused']),
  job: z.string(),
  index: z.number().int().min(0),
  /** From the downward API, when the Job passes it. */
  pod: z.object({ name: z.string().nullable(), namespace: z.string().nullable(), node: z.string().nullable() }),
  command: z.string(),
  image: PodImageSchema,
  cap_bytes: z.number().int().positive(),
  cap_given: z.string(),
  cpus: z.number(),
  requested: ContainerLimitsSchema,
  input: z.object({ name: z.string(), size_bytes: z.number().int(), sha256: z.string() }).nullable(),
  /** The pod's memory cgroup as the pod found it: the limit shows whether the Job's limits.memory bound. */
  cgroup: z.object({ version: z.union([z.literal(1), z.literal(2)]).nullable(), limit_bytes: z.number().nullable() }),
  /** The node as seen from inside the pod (kernel, CPUs, memory of the whole node). */
  node: z.object({ kernel: z.string(), arch: z.string(), cpu_count: z.number().int(), memory_total_mb: z.number() }),
  node_version: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  verdict: z.enum(VERDICTS).nullable(),
  /** What the local runner's container would have exited with (the verdict's exit code). */
  supervisor_exit_code: z.number().int().nullable(),
  error: z.string().nullable(),
  warnings: z.array(z.string()),
  /** What a local run's host adds and a pod cannot: each with why. */
  unavailable: z.array(z.string()),
});
export type PodManifest = z.infer<typeof PodManifestSchema>;

/** Written by the pod in its run directory's container/ (the supervisor's directory). */
export function writePodManifest(containerDir: string, manifest: PodManifest): void {
  replaceJsonFile(`${containerDir}/${POD_MANIFEST_FILE}`, manifest);
}

/** pod.json of a run directory, or null when missing, unsafe, too large or invalid. */
export function readPodManifest(run: RunDir): PodManifest | null {
  return readValidJson(() => run.containerFile(POD_MANIFEST_FILE), PodManifestSchema, MAX_POD_MANIFEST_BYTES);
}
