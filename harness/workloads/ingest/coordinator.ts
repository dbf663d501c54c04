// Supervisor side of the PDF ingest: one planning worker reads the page counts, then workers take page ranges,
// retire, and are replaced by fresh ones until every range is done or the run must stop. With --workers N the other
// N - 1 start beside the planning one and wait, ready, for the plan: Node's start and pdf-parse's load overlap it.
// With --workers auto, the planning one starts alone and more start as the RSS workers report allows (worker-target.ts).
import type { PageRange, WorkerMessage } from '../../common/worker-messages.js';
import type { WorkerExit } from '../../run-files/summary.js';
import { recordPhaseMessage, type ManagedWorker, type WorkloadContext } from '../contract/workload.js';
import type { IngestStatus } from './ingest-manifest.js';
import { IngestManifestRecorder } from './manifest-recorder.js';
import { PageRangeQueue } from './page-ranges.js';
import type { IngestSpec } from './spec.js';
import { WarmSpares } from './warm-spare.js';
import { WorkerTarget } from './worker-target.js';
import { ingestRoleArgument } from './worker-role.js';

export class IngestCoordinator {
  readonly #context: WorkloadContext;
  readonly #recorder: IngestManifestRecorder;
  readonly #ranges: PageRangeQueue;
  readonly #live = new Set<ManagedWorker>();
  readonly #spares: WarmSpares;
  readonly #target: WorkerTarget;
  /** Spares that are ready while every worker's place is taken. */
  readonly #parked: ManagedWorker[] = [];
  /** Each worker's last range, so its next one comes from the same part of the input. */
  readonly #lastRange = new Map<number, PageRange>();
  #planned = false;
  /** The planning worker ended before it had planned: the workers waiting for the plan are told to end. */
  #planFailed = false;
  #planner: ManagedWorker | null = null;
  /** Workers that were ready before the plan was: they take their ranges once it is made. */
  readonly #waiting: ManagedWorker[] = [];
  #finished: () => void = () => undefined;

  /** `visibleCpus`: the CPUs the container sees (os.availableParallelism() by default). */
  constructor(context: WorkloadContext, spec: IngestSpec, visibleCpus?: number) {
    this.#context = context;
    const { workers, workers_auto: auto, cap_bytes: capBytes, workers_bound: bound } = context.config;
    this.#target = new WorkerTarget({ workers, auto, capBytes, bound }, visibleCpus);
    this.#recorder = new IngestManifestRecorder(context.config.run_id, spec, { options: auto ? 'auto' : workers, auto: this.#target.describe() }, context.outDir, context.clock);
    this.#ranges = new PageRangeQueue(spec.range_pages, spec.part_pages);
    this.#spares = new WarmSpares(spec.pages_per_worker, spec.worker_rss_limit_mb, context.config.cap_bytes);
  }

  /** Runs until every worker has ended: all ranges done, or the run stopped early. */
  async run(): Promise<void> {
    const allDone = new Promise<void>((resolve) => {
      this.#finished = resolve;
    });
    this.#planner = this.#start(true);
    for (let i = 1; i < this.#target.value; i += 1) this.#start(false);
    await allDone;
    this.#recorder.finish(this.#finalStatus());
  }

  /** `warm`: a spare, told which input to open while it waits. */
  #start(plan: boolean, warm: number | null = null): ManagedWorker {
    const worker = this.#context.spawnWorker(
      (workerId) => [ingestRoleArgument({ workerId, plan, warm })],
      (message, from) => this.#handle(message, from),
    );
    this.#recorder.workerStarted();
    this.#live.add(worker);
    void worker.result.then((exit) => this.#onExit(worker, exit));
    return worker;
  }

  /** Workers holding a place: every live one but the spares still waiting for theirs. */
  #working(): number {
    let working = 0;
    for (const worker of this.#live) if (!this.#spares.isSpare(worker.id)) working += 1;
    return working;
  }

  #maybeStartMore(): void {
    if (!this.#planned) return;
    while (this.#parked.length > 0 && (this.#context.stopReason() || this.#working() < this.#target.value)) this.#handOut(this.#parked.shift()!);
    if (this.#context.stopReason()) return;
    while (this.#live.size < this.#target.value && this.#ranges.remaining > 0) this.#start(false);
  }

  #onExit(worker: ManagedWorker, exit: WorkerExit): void {
    this.#live.delete(worker);
    this.#lastRange.delete(worker.id);
    this.#spares.ended(worker.id);
    const parked = this.#parked.indexOf(worker);
    if (parked >= 0) this.#parked.splice(parked, 1);
    const waiting = this.#waiting.indexOf(worker);
    if (waiting >= 0) this.#waiting.splice(waiting, 1);
    if (worker === this.#planner && !this.#planned) {
      this.#planFailed = true;
      for (const other of this.#waiting.splice(0)) other.send({ type: 'no-more-work' });
    }
    this.#recorder.workerEnded(exit);
    this.#maybeStartMore();
    if (this.#live.size === 0) this.#finished();
  }

  #handle(message: WorkerMessage, from: ManagedWorker): void {
    const recorder = this.#recorder;
    switch (message.type) {
      case 'page-count':
        recorder.pageCount(message.file_index, message.pages, message.read_as ?? null);
        this.#ranges.addFile(message.file_index, message.pages);
        this.#context.reportProgress({ unit: 'pages', ...recorder.progress() });
        return;
      case 'read-as':
        recorder.readAs(message.file_index, message.read_as);
        return;
      case 'input-error':
        recorder.inputError(from.id, from.pid, message.file_index, message.message);
        this.#context.recordInputError(message.message);
        return;
      case 'ready':
        return this.#onReady(from);
      case 'batch-start':
        this.#context.setBatch(from.id, recorder.batchStart(from.id, from.pid, message).id);
        return;
      case 'batch-end':
        this.#spares.rss(from.id, message.rss_mb);
        // The largest RSS yet: recorded, and more workers start if the count rose.
        if (this.#target.measured(message.rss_mb)) {
          recorder.autoWorkers(this.#target.describe());
          this.#maybeStartMore();
        }
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

  /** A spare waits while every place is taken, a worker started beside the planning one for the plan; any other gets work now. */
  #onReady(worker: ManagedWorker): void {
    if (this.#planFailed) return worker.send({ type: 'no-more-work' });
    if (!this.#planned && worker !== this.#planner) {
      this.#waiting.push(worker);
      return;
    }
    if (this.#spares.isSpare(worker.id) && !this.#context.stopReason() && this.#working() >= this.#target.value) {
      this.#parked.push(worker);
      return;
    }
    this.#handOut(worker);
    // The planning worker's ready: the plan is made, and those waiting for it take their ranges after its own.
    for (const waiting of this.#waiting.splice(0)) this.#handOut(waiting);
  }

  /** The planning worker's first call opens the queue; each worker gets the next range or is told to end. */
  #handOut(worker: ManagedWorker): void {
    if (!this.#planned) {
      this.#planned = true;
      this.#maybeStartMore();
    }
    this.#spares.promoted(worker.id);
    const others = [...this.#lastRange].filter(([id]) => id !== worker.id).map(([, last]) => last);
    const range = this.#context.stopReason() ? null : this.#ranges.next(this.#lastRange.get(worker.id) ?? null, others);
    if (range) this.#recorder.rangeAssigned(worker.id, range);
    if (range) this.#lastRange.set(worker.id, range);
    worker.send(range ? { type: 'range', range } : { type: 'no-more-work' });
    const next = this.#ranges.peek(range, others);
    // With auto, the count may have fallen below the workers still running: a spare fits only beside all of them,
    // and none starts where the retiring worker's place is not to be filled again.
    const working = this.#working();
    if (!range || !next || !this.#spares.assigned(worker.id, range, Math.max(working, this.#target.value)) || working > this.#target.value) return;
    const spare = this.#start(false, next.file_index);
    this.#spares.started(spare.id);
    // The spare goes on in the retiring worker's part, which no other worker is then given.
    this.#lastRange.set(spare.id, range);
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
