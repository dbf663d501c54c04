// The synthetic workload's worker process: memory grown on the spec's schedule, its phases and progress reported.
import type { WorkerEntry } from '../contract/workload.js';
import { SyntheticSpecSchema } from './spec.js';
import { runSyntheticWorker } from './worker.js';

export const work: WorkerEntry = (workload, _args, channel) => {
  const spec = SyntheticSpecSchema.parse(workload);
  return runSyntheticWorker(
    spec,
    (phase) => channel.phase(phase),
    (allocatedMb) => channel.send({ type: 'progress', unit: 'MiB allocated', done: Math.round(allocatedMb * 10) / 10, total: spec.target_mb }),
  );
};
