// The synthetic workload: memory grown on a schedule, ending on purpose; for testing the harness and the host.
import * as z from 'zod';
import type { SyntheticSpec } from './spec.js';
import { intInRange, numberInRange } from '../../options/option-schemas.js';

export const SYNTHETIC_DEFAULTS = {
  memory: 'buffer',
  stepMb: '10',
  stepMs: '50',
  targetMb: 'none',
  holdMs: '0',
  churn: '0',
  release: false,
  afterReleaseMs: '0',
  ending: 'exit',
} as const;

const targetSchema = z.string().transform((text, ctx): number | null => {
  if (text === 'none') return null;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    ctx.addIssue({ code: 'custom', message: '"none" (grow until stopped) or a positive number of MiB' });
    return z.NEVER;
  }
  return value;
});

export const syntheticOptionsSchema = z.object({
  memory: z.enum(['buffer', 'heap'], { message: 'buffer (native memory) or heap (JS objects)' }),
  stepMb: numberInRange(0.1, 4096),
  stepMs: intInRange(0, 600_000),
  targetMb: targetSchema,
  holdMs: intInRange(0, 3_600_000),
  churn: intInRange(0, 10_000_000),
  release: z.boolean(),
  afterReleaseMs: intInRange(0, 3_600_000),
  ending: z.enum(['exit', 'sigkill-self', 'crash', 'hang', 'hang-ignoring-sigterm'], {
    message: 'exit, sigkill-self, crash, hang or hang-ignoring-sigterm',
  }),
});

export type SyntheticOptions = z.output<typeof syntheticOptionsSchema>;

export function syntheticSpec(options: SyntheticOptions): SyntheticSpec {
  return {
    kind: 'synthetic',
    memory: options.memory,
    step_mb: options.stepMb,
    step_interval_ms: options.stepMs,
    target_mb: options.targetMb,
    hold_ms: options.holdMs,
    churn_iterations: options.churn,
    release: options.release,
    after_release_ms: options.afterReleaseMs,
    ending: options.ending,
  };
}
