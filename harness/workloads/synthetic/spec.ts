// The synthetic workload's spec, as run-config.json carries it: memory grown on a schedule, ending on purpose.
import * as z from 'zod';

export const SyntheticSpecSchema = z.object({
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
export type SyntheticSpec = z.infer<typeof SyntheticSpecSchema>;
