// Options of the smoke gate.
import * as z from 'zod';
import { numberInRange } from './option-schemas.js';

export const SMOKE_DEFAULTS = { cap: '2g', maxPeakRatio: '0.95' } as const;

export const smokeOptionsSchema = z.object({
  maxPeakRatio: numberInRange(0.001, 1),
  junit: z.string().min(1, 'a file path').optional(),
  input: z.string().min(1, 'a PDF file').optional(),
});
export type SmokeOptions = z.output<typeof smokeOptionsSchema>;
