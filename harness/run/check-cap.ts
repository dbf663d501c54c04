// A cap the engine takes but that cannot bind on its machine is refused before anything starts.
import { bytesToMiB, formatBytes } from '../common/byte-size.js';
import { HarnessError } from '../common/harness-error.js';
import type { EngineInfo } from '../container-runtime/docker-client.js';
import type { RunPlan } from './plan-run.js';

/** Refuses, before anything starts, a cap that cannot bind on the engine's machine. */
export function checkCapForEngine(plan: Pick<RunPlan, 'capBytes' | 'capGiven' | 'allowCapAboveHost'>, engine: EngineInfo): void {
  const memTotal = engine.memTotalBytes;
  if (memTotal === null || plan.capBytes <= memTotal || plan.allowCapAboveHost) return;
  throw new HarnessError(
    'BAD_OPTION',
    `cap: got ${JSON.stringify(plan.capGiven)} (${formatBytes(plan.capBytes)}), expected at most the engine's memory, ${bytesToMiB(memTotal)} MiB: a cap above it can never bind, so no OOM would be reproduced`,
    { hint: 'Give --allow-cap-above-host to run anyway (for example to replay a cap taken from a bigger machine).' },
  );
}
