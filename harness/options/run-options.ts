// Options shared by every command that starts a capped container.
import { availableParallelism } from 'node:os';
import * as z from 'zod';
import { HarnessError } from '../common/harness-error.js';
import { capBytesSchema, intInRange, intInRangeOr, numberInRange } from './option-schemas.js';

export const RUN_DEFAULTS = {
  out: 'logs',
  /** No CPU quota, as `docker run` sets none: the cap under test is memory. */
  cpus: 'none',
  baseImage: 'scratch',
  sampleIntervalMs: '200',
  nearCapSampleIntervalMs: '50',
  workerTimeoutMs: '120000',
  killGraceMs: '5000',
  onWorkerDeath: 'stop',
  workerHeapMb: 'auto',
  workers: '1',
  pidsLimit: '256',
} as const;

const workerHeapSchema = intInRangeOr(['auto', 'off'], 8, 1_048_576, '"auto", "off" or a whole number of MiB from 8').transform((value) => (value === 'off' ? null : value));

/** --workers: a count, or "auto" (as many as the container's CPUs allow and half the cap holds; workloads/ingest/worker-target.ts). */
const workersSchema = intInRangeOr(['auto'], 1, 64, '"auto" or an integer from 1 to 64');

/** --cpus: "none" (no quota, the default) or a number of CPUs; null means no quota. */
function cpusSchema(hostCpus: number) {
  return z.union([z.literal('none').transform(() => null), numberInRange(0.01, hostCpus)], { message: `"none" or a number from 0.01 to ${hostCpus}` });
}

export function runOptionsSchema(hostCpus = availableParallelism()) {
  return z.object({
    capBytes: capBytesSchema,
    out: z.string().min(1, 'a directory path'),
    cpus: cpusSchema(hostCpus),
    json: z.boolean().default(false),
    quiet: z.boolean().default(false),
    baseImage: z.string().min(1, 'an image name such as scratch or node:20-bookworm-slim'),
    sampleIntervalMs: intInRange(20, 10_000),
    nearCapSampleIntervalMs: intInRange(20, 10_000),
    workerTimeoutMs: intInRange(100, 86_400_000),
    killGraceMs: intInRange(0, 600_000),
    onWorkerDeath: z.enum(['stop', 'continue'], { message: 'stop or continue' }),
    workerHeapMb: workerHeapSchema,
    workers: workersSchema,
    pidsLimit: intInRange(16, 32_768),
    includeInput: z.boolean().default(false),
    allowCapAboveHost: z.boolean().default(false),
  });
}

export type RunOptions = z.output<ReturnType<typeof runOptionsSchema>>;

/** Names for errors where the value is a positional argument, not a --flag. */
export const RUN_OPTION_NAMES: Record<string, string> = { capBytes: 'cap', input: 'input' };

/** Why the synthetic workloads (probe, simulate-pressure) take a count only. */
export const SYNTHETIC_WORKERS = "auto sizes the PDF ingest's workers by what they report; these workers allocate a set amount";

/** A fixed --workers count, for the commands where "auto" has no meaning; `why` says why it has none there. */
export function fixedWorkers(workers: RunOptions['workers'], why: string): number {
  if (workers !== 'auto') return workers;
  throw new HarnessError('BAD_OPTION', `--workers: got "auto", expected an integer from 1 to 64: ${why}`);
}
