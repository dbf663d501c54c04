// Supervisor side of the PDF ingest: one planning worker reads the page counts, then workers take page ranges,
// retire, and are replaced by fresh ones until every range is done or the run must stop.
import type { IngestStatus } from './ingest-manifest.js';
import type { WorkerExit } from '../../run-files/summary.js';
import { recordPhaseMessage, type ManagedWorker, type WorkloadContext } from '../workload.js';
import { IngestManifestRecorder } from './manifest-recorder.js';
import { PageRangeQueue } from './page-ranges.js';
import type { IngestSpec } from './spec.js';

export async function coordinateIngest(context: WorkloadContext, workload: IngestSpec): Promise<void> {
  const recorder = new IngestManifestRecorder(context.config.run_id, workload, context.config.workers, context.outDir, context.clock);
  const ranges = new PageRangeQueue(workload.range_pages);
  const live = new Set<ManagedWorker>();
  let planned = false;
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });

  const maybeStartMore = () => {
    if (!planned || context.stopReason()) return;
    while (live.size < context.config.workers && ranges.remaining > 0) start(false);
  };

  const onExit = (worker: ManagedWorker, exit: WorkerExit) => {
    live.delete(worker);
    recorder.workerEnded(exit);
    maybeStartMore();
    if (live.size === 0) finished();
  };

  const start = (plan: boolean) => {
    const worker = context.spawnWorker(
      (workerId) => [JSON.stringify({ workerId, plan })],
      (message, from) => {
        switch (message.type) {
          case 'page-count':
            recorder.pageCount(message.file_index, message.pages);
            ranges.addFile(message.file_index, message.pages);
            return;
          case 'input-error':
            recorder.inputError(from.id, from.pid, message.file_index, message.message);
            context.recordInputError(message.message);
            return;
          case 'ready': {
            if (!planned) {
              planned = true;
              maybeStartMore();
            }
            const range = context.stopReason() ? null : ranges.next();
            if (range) recorder.rangeAssigned(from.id, range);
            from.send(range ? { type: 'range', range } : { type: 'no-more-work' });
            return;
          }
          case 'batch-start': {
            const record = recorder.batchStart(from.id, from.pid, message);
            context.setBatch(from.id, record.id);
            return;
          }
          case 'batch-end': {
            const record = recorder.batchEnd(from.id, message);
            if (record) context.countBatch(message.status);
            context.setBatch(from.id, null);
            return;
          }
          case 'range-done':
            recorder.rangeDone(from.id, message.pages);
            return;
          case 'retiring':
            recorder.retired(from.id, message.reason, message.rss_mb);
            return;
          case 'phase':
            recordPhaseMessage(context, message);
            return;
        }
      },
    );
    recorder.workerStarted();
    live.add(worker);
    void worker.result.then((exit) => onExit(worker, exit));
  };

  start(true);
  await allDone;
  recorder.finish(finalStatus(context, recorder));
}

function finalStatus(context: WorkloadContext, recorder: IngestManifestRecorder): Exclude<IngestStatus, 'running'> {
  if (context.interruptedBy()) return 'interrupted';
  if (context.workerExits().some((exit) => exit.oom_killed || exit.heap_oom)) return 'oom';
  const died = context.workerExits().some((exit) => exit.exit_code !== 0 || exit.signal !== null);
  return died ? 'partial_failure' : recorder.outcomeStatus();
}
