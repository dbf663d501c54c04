// Supervisor side of the synthetic workload: start the workers, record the phases they announce.
import { recordPhaseMessage, type WorkloadContext } from '../contract/workload.js';

export async function coordinateSynthetic(context: WorkloadContext): Promise<void> {
  const started = Array.from({ length: context.config.workers }, () =>
    context.spawnWorker(() => [], (message) => recordPhaseMessage(context, message)),
  );
  await Promise.all(started.map((worker) => worker.result));
}
