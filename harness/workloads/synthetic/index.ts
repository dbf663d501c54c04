// The synthetic workload (`probe`, `simulate-pressure`): memory grown on a schedule, ending on purpose.
import type { Workload } from '../contract/workload.js';
import { coordinateSynthetic } from './coordinator.js';
import { SyntheticSpecSchema, type SyntheticSpec } from './spec.js';
import { runSyntheticWorker } from './worker.js';

export const syntheticWorkload: Workload<SyntheticSpec> = {
  kind: 'synthetic',
  specSchema: SyntheticSpecSchema,
  coordinate: coordinateSynthetic,
  work: (spec, _args, channel) =>
    runSyntheticWorker(
      spec,
      (phase) => channel.phase(phase),
      (allocatedMb) => channel.send({ type: 'progress', unit: 'MiB allocated', done: Math.round(allocatedMb * 10) / 10, total: spec.target_mb }),
    ),
};
