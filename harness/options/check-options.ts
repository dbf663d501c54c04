// Options of the smoke gate and the memory-pressure self-test.
import { z } from 'zod';
import { capBytesSchema, intInRange, numberInRange } from './option-schemas.js';

export const SMOKE_DEFAULTS = { cap: '2g', maxPeakRatio: '0.95' } as const;

export const smokeOptionsSchema = z.object({
  maxPeakRatio: numberInRange(0.001, 1),
  junit: z.string().min(1, 'a file path').optional(),
  input: z.string().min(1, 'a PDF file').optional(),
});
export type SmokeOptions = z.output<typeof smokeOptionsSchema>;

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
export function defaultPressureCapBytes(targetMb: number): number {
  return Math.ceil(targetMb * 1.5 + 128) * 1024 * 1024;
}
