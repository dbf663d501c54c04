// pod-plan.json, the host-to-pod protocol of `matrix --emit k8s`: what every pod of one Job (one cap) is asked to
// do. The host builds the run config exactly as for a local run (run/plan-run.ts), leaves the run id to each pod and
// lists the inputs; a pod takes the input its completion index names. Mounted from a ConfigMap, validated in the pod.
import * as z from 'zod';
import { ContainerLimitsSchema } from './container-manifest.js';
import { RunConfigSchema, type RunConfig } from './run-config.js';

export const POD_PLAN_FILE = 'pod-plan.json';
/** Where a Job mounts its ConfigMap. */
export const POD_PLAN_DIR = '/etc/oom-harness';
export const POD_PLAN_PATH = `${POD_PLAN_DIR}/${POD_PLAN_FILE}`;
/** The run id a plan carries until a pod gives its run its own. */
export const POD_RUN_ID_PLACEHOLDER = 'assigned-by-each-pod';
/** A ConfigMap holds at most 1 MiB; a plan past this is refused when the Jobs are emitted. */
export const MAX_POD_PLAN_BYTES = 1_000_000;

/** An input as the pod sees it in the input volume: the workload's `inputs` entry. */
export const PodInputSchema = z.object({
  name: z.string().min(1),
  container_path: z.string().min(1),
  size_bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PodInput = z.infer<typeof PodInputSchema>;

export const PodImageSchema = z.object({
  /** The reference the Job pulls. */
  ref: z.string().min(1),
  /** The runtime image's content hash (its local tag is oom-harness:<first 12>). */
  content_hash: z.string(),
  base_image: z.string(),
});

export const PodPlanSchema = z.object({
  schema: z.literal('oom-harness/pod-plan@1'),
  job: z.string().min(1),
  /** The command that emitted the Jobs, paths shown as a bundle shows them. */
  command: z.string(),
  cap_given: z.string(),
  cpus: z.number().positive(),
  image: PodImageSchema,
  /** The limits the Job's pod template asks for, in the terms container_manifest.json uses. */
  requested: ContainerLimitsSchema,
  /** run-config.json as the host would write it, with POD_RUN_ID_PLACEHOLDER and no inputs yet. */
  config: RunConfigSchema,
  inputs: z.array(PodInputSchema).min(1),
});
export type PodPlan = z.infer<typeof PodPlanSchema>;

/** The run config of the pod with completion index `index`: the plan's, with its run id and its one input. */
export function podRunConfig(plan: PodPlan, index: number, runId: string): RunConfig {
  const input = plan.inputs[index];
  if (!input) throw new RangeError(`completion index ${index} is past the plan's ${plan.inputs.length} inputs`);
  return { ...plan.config, run_id: runId, workload: { ...plan.config.workload, inputs: [input] } };
}

export function podPlanText(plan: PodPlan): string {
  return `${JSON.stringify(PodPlanSchema.parse(plan), null, 2)}\n`;
}
