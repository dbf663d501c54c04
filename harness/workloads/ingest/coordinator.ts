// Supervisor side of the PDF ingest: one planning worker reads the page counts, then workers take page ranges,
// retire, and are replaced by fresh ones until every range is done or the run must stop.
import type { WorkerMessage } from '../../common/worker-messages.js';
import type { WorkerExit } from '../../run-files/summary.js';
import { recordPhaseMessage, type ManagedWorker, type WorkloadContext } from '../contract/workload.js';
import type { IngestStatus } from './ingest-manifest.js';
import { IngestManifestRecorder } from './manifest-recorder.js';
import { PageRangeQueue } from './page-ranges.js';
import type { IngestSpec } from './spec.js';

export class IngestCoordinator {
  readonly #context: WorkloadContext;
  readonly #recorder: IngestManifestRecorder;
  readonly #ranges: PageRangeQueue;
  readonly #live = new Set<ManagedWorker>();
  #planned = false;
  #finished: () => void = () => undefined;

  constructor(context: WorkloadContext, spec: IngestSpec) {
    this.#context = context;
    this.#recorder = new IngestManifestRecorder(context.config.run_id, spec, context.config.workers, context.outDir, context.clock);
    this.#ranges = new PageRangeQueue(spec.range_pages);
  }

  /** Runs until every worker has ended: all ranges done, or the run stopped early. */
  async run(): Promise<void> {
    const allDone = new Promise<void>((resolve) => {
      this.#finished = resolve;
    });
    this.#start(true);
    await allDone;
    this.#recorder.finish(this.#finalStatus());
  }

  #start(plan: boolean): void {
    const worker = this.#context.spawnWorker(
      (workerId) => [JSON.stringify({ workerId, plan })],
      (message, from) => this.#handle(message, from),
    );
    this.#recorder.workerStarted();
    this.#live.add(worker);
    void worker.result.then((exit) => this.#onExit(worker, exit));
  }

  #maybeStartMore(): void {
    if (!this.#planned || this.#context.stopReason()) return;
    while (this.#live.size < this.#context.config.workers && this.#ranges.remaining > 0) this.#start(false);
  }

  #onExit(worker: ManagedWorker, exit: WorkerExit): void {
    this.#live.delete(worker);
    this.#recorder.workerEnded(exit);
    this.#maybeStartMore();
    if (this.#live.size === 0) this.#finished();
  }

  #handle(message: WorkerMessage, from: ManagedWorker): void {
    const recorder = this.#recorder;
    switch (message.type) {
      case 'page-count':
        recorder.pageCount(message.file_index, message.pages);
        this.#ranges.addFile(message.file_index, message.pages);
        this.#context.reportProgress({ unit: 'pages', ...recorder.progress() });
        return;
      case 'input-error':
        recorder.inputError(from.id, from.pid, message.file_index, message.message);
        this.#context.recordInputError(message.message);
        return;
      case 'ready':
        return this.#handOut(from);
      case 'batch-start':
        this.#context.setBatch(from.id, recorder.batchStart(from.id, from.pid, message).id);
        return;
      case 'batch-end':
        if (recorder.batchEnd(from.id, message)) this.#context.countBatch(message.status);
        this.#context.setBatch(from.id, null);
        return;
      case 'page':
        recorder.pageStarted(from.id, message.page);
        this.#context.setPosition(from.id, { fileIndex: message.file_index, page: message.page });
        this.#context.reportProgress({ unit: 'pages', ...recorder.progress() });
        return;
      case 'range-done':
        recorder.rangeDone(from.id, message.pages);
        this.#context.setPosition(from.id, null);
        this.#context.reportProgress({ unit: 'pages', ...recorder.progress() });
        return;
      case 'retiring':
        recorder.retired(from.id, message.reason, message.rss_mb);
        return;
      case 'phase':
        recordPhaseMessage(this.#context, message);
        return;
    }
  }

  /** A worker is ready: the planning worker's first call opens the queue; each gets the next range or is told to end. */
  #handOut(worker: ManagedWorker): void {
    if (!this.#planned) {
      this.#planned = true;
      this.#maybeStartMore();
    }
    const range = this.#context.stopReason() ? null : this.#ranges.next();
    if (range) this.#recorder.rangeAssigned(worker.id, range);
    worker.send(range ? { type: 'range', range } : { type: 'no-more-work' });
  }

  #finalStatus(): Exclude<IngestStatus, 'running'> {
    const exits = this.#context.workerExits();
    if (this.#context.interruptedBy()) return 'interrupted';
    if (exits.some((exit) => exit.oom_killed || exit.heap_oom)) return 'oom';
    const died = exits.some((exit) => exit.exit_code !== 0 || exit.signal !== null);
    return died ? 'partial_failure' : this.#recorder.outcomeStatus();
  }
}

export function coordinateIngest(context: WorkloadContext, spec: IngestSpec): Promise<void> {
  return new IngestCoordinator(context, spec).run();
}
