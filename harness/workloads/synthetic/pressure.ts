// simulate-pressure's use of the synthetic workload: allocate a target with every page touched, release it, and
// see on the cgroup what came back.
import * as z from 'zod';
import { capBytesSchema, intInRange, numberInRange } from '../../options/option-schemas.js';
import type { SyntheticSpec } from './spec.js';

export const PRESSURE_DEFAULTS = { mode: 'ramp', minReclaim: '0.5', chunkMb: '8', holdMs: '1000', churnIterations: '200', settleMs: '1500' } as const;

export const pressureOptionsSchema = z.object({
  targetMb: intInRange(1, 1_048_576),
  mode: z.enum(['ramp', 'churn'], { message: 'ramp or churn' }),
  cap: capBytesSchema.optional(),
  minReclaim: numberInRange(0, 1),
  chunkMb: numberInRange(0.1, 1024),
  holdMs: intInRange(0, 600_000),
  churnIterations: intInRange(1, 10_000_000),
  settleMs: intInRange(0, 600_000),
  leak: z.boolean(),
});
export type PressureOptions = z.output<typeof pressureOptionsSchema>;

/** The cap when none is given: the target, half again for garbage not yet collected, and 128 MiB for Node itself. */
/**
 * Room for the target, the runtime, and in churn mode the garbage not yet collected: measured 507-558 MiB of kernel
 * peak for a 300 MiB churn, so churn gets twice the target where a ramp gets one and a half.
 */
export function defaultPressureCapBytes(targetMb: number, mode: 'ramp' | 'churn' = 'ramp'): number {
  return Math.ceil(targetMb * (mode === 'churn' ? 2 : 1.5) + 128) * 1024 * 1024;
}

export function pressureSpec(options: PressureOptions): SyntheticSpec {
  const ramp = options.mode === 'ramp';
  return {
    kind: 'synthetic',
    memory: 'buffer',
    step_mb: ramp ? Math.max(1, options.targetMb / 20) : options.chunkMb,
    step_interval_ms: ramp ? 50 : 0,
    target_mb: options.targetMb,
    hold_ms: options.holdMs,
    churn_iterations: ramp ? 0 : options.churnIterations,
    release: !options.leak,
    after_release_ms: options.settleMs,
    ending: 'exit',
  };
}
