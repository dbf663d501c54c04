// Supervisor side of the synthetic workload: start the workers, record the phases they announce.
import { recordPhaseMessage, type WorkloadContext } from '../contract/workload.js';

export async function coordinateSynthetic(context: WorkloadContext): Promise<void> {
  // The commands refuse it (options/run-options.ts); a config written by other means is refused here too.
  if (context.config.workers_auto) throw new Error('workers_auto: the synthetic workload starts a set number of workers; auto is for the PDF ingest');
  const started = Array.from({ length: context.config.workers }, () =>
    context.spawnWorker(() => [], (message) => recordPhaseMessage(context, message)),
  );
  await Promise.all(started.map((worker) => worker.result));
}
