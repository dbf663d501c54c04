// Keeps ingest_manifest.json true as batches go, so it is valid whenever the container dies: replaced atomically, at
// most 250 ms behind the batches (up to 2 s for a very large manifest), and at once when a worker dies.
import { join } from 'node:path';
import { replaceJsonFile } from '../../run-files/safe-fs.js';
import type { Clock } from '../../common/clock.js';
import { INGEST_MANIFEST_FILE, recordedOptions, type AutoWorkers, type BatchRecord, type IngestManifest, type IngestStatus } from './ingest-manifest.js';
import type { IngestSpec } from './spec.js';
import type { WorkerExit } from '../../run-files/summary.js';
import { describeDeath, diedBadly } from '../../outcome/describe-death.js';
import { WorkerPositions } from './worker-positions.js';
import type { PageRange, WorkerMessage } from '../../common/worker-messages.js';

type BatchStart = Extract<WorkerMessage, { type: 'batch-start' }>;
type BatchEnd = Extract<WorkerMessage, { type: 'batch-end' }>;
/**
 * Batches rewrite the whole file at most every 250 ms (a trailing write follows), or 200 times as long as the last
 * write took (a 3,960-page run's 200 KB manifest: about 3 ms), up to 2 s: rewriting it twice per batch made the
 * supervisor's work grow with the square of the batches. A death, an input error and the end are written at once.
 */
const BATCH_WRITE = { minIntervalMs: 250, costFactor: 200, maxIntervalMs: 2000 } as const;

export class IngestManifestRecorder {
  readonly #path: string;
  readonly #clock: Clock;
  readonly #manifest: IngestManifest;
  readonly #open = new Map<string, BatchRecord>();
  readonly #positions = new WorkerPositions();
  #lastWriteMs = -Infinity;
  #lastWriteCostMs = 0;
  #pendingWrite: NodeJS.Timeout | null = null;

  constructor(runId: string, workload: IngestSpec, workers: { options: number | 'auto'; auto: AutoWorkers | null }, outDir: string, clock: Clock) {
    this.#path = join(outDir, INGEST_MANIFEST_FILE);
    this.#clock = clock;
    const now = this.#now();
    this.#manifest = {
      schema: 'oom-harness/ingest-manifest@1',
      run_id: runId,
      status: 'running',
      started_at: now,
      ended_at: null,
      updated_at: now,
      inputs: workload.inputs.map((input) => ({ name: input.name, size_bytes: input.size_bytes, sha256: input.sha256, pages: null, error: null, read_as: null })),
      total_pages: null,
      options: recordedOptions(workload, workers.options),
      pages_done: 0,
      pages_flushed: 0,
      batches: [],
      failed_batches: [],
      batch_in_flight: null,
      culprit: null,
      unfinished_ranges: [],
      input_errors: [],
      workers_started: 0,
      worker_retirements: [],
      auto_workers: workers.auto,
    };
    this.write();
  }

  get manifest(): Readonly<IngestManifest> {
    return this.#manifest;
  }

  workerStarted(): void {
    this.#manifest.workers_started += 1;
  }

  pageCount(fileIndex: number, pages: number, readAs: string | null): void {
    const input = this.#manifest.inputs[fileIndex];
    if (input) Object.assign(input, { pages, read_as: readAs });
    this.#updateTotal();
  }

  /** What --workers auto decided, after a worker reported its largest RSS yet. */
  autoWorkers(auto: AutoWorkers | null): void {
    this.#manifest.auto_workers = auto;
    this.#writeSoon();
  }

  /** How an input is read, changed mid-run (a part that failed to cut has the rest read whole). */
  readAs(fileIndex: number, readAs: string): void {
    Object.assign(this.#manifest.inputs[fileIndex] ?? {}, { read_as: readAs });
    this.#writeSoon();
  }

  /** A file the worker could not read: recorded on the input, and as a failed batch holding none of its pages. */
  inputError(workerId: number, workerPid: number | null, fileIndex: number, message: string): void {
    const input = this.#manifest.inputs[fileIndex];
    if (input && input.error === null) input.error = message;
    if (this.#manifest.input_errors.includes(message)) return;
    this.#manifest.input_errors.push(message);
    const record: BatchRecord = {
      id: this.#manifest.batches.length + 1,
      label: `w${workerId}.input-error.${this.#manifest.input_errors.length}`,
      worker_id: workerId,
      worker_pid: workerPid,
      spans: [],
      pages: input?.name ?? `#${fileIndex}`,
      items: 0,
      bytes: 0,
      trigger: 'end',
      oversized_item: false,
      status: 'failed',
      error: `could not read input: ${message}`,
      attempts: 0,
      duration_ms: 0,
      rss_mb: null,
      started_at: this.#now(),
    };
    this.#manifest.batches.push(record);
    this.#manifest.failed_batches.push(record);
    this.#updateTotal();
    this.write();
  }

  rangeAssigned(workerId: number, range: PageRange): void {
    this.#positions.assigned(workerId, range);
  }

  pageStarted(workerId: number, page: number): void {
    this.#positions.pageStarted(workerId, page);
  }

  rangeDone(workerId: number, pages: number): void {
    this.#positions.done(workerId);
    this.#manifest.pages_done += pages;
  }

  /** Pages extracted so far, and the total once every input's page count is known. */
  progress(): { done: number; total: number | null } {
    return { done: this.#manifest.pages_done + this.#positions.extractedInOpenRanges(), total: this.#manifest.total_pages };
  }

  retired(workerId: number, reason: 'pages' | 'rss', rssMb: number): void {
    this.#manifest.worker_retirements.push({ worker_id: workerId, reason, rss_mb: rssMb });
  }

  batchStart(workerId: number, workerPid: number | null, message: BatchStart): BatchRecord {
    const record: BatchRecord = {
      id: this.#manifest.batches.length + 1,
      label: `w${workerId}.${message.seq}`,
      worker_id: workerId,
      worker_pid: workerPid,
      spans: message.spans,
      pages: this.#describeSpans(message.spans),
      items: message.items,
      bytes: message.bytes,
      trigger: message.trigger,
      oversized_item: message.oversized_item,
      status: 'flushing',
      error: null,
      attempts: null,
      duration_ms: null,
      rss_mb: null,
      started_at: this.#now(),
    };
    this.#manifest.batches.push(record);
    this.#open.set(record.label, record);
    this.#positions.batchStarted(workerId, message.spans);
    this.#writeSoon();
    return record;
  }

  batchEnd(workerId: number, message: BatchEnd): BatchRecord | null {
    const record = this.#open.get(`w${workerId}.${message.seq}`);
    if (!record) return null;
    this.#open.delete(record.label);
    record.status = message.status;
    record.attempts = message.attempts;
    record.error = message.error;
    record.duration_ms = message.duration_ms;
    record.rss_mb = message.rss_mb;
    if (message.status === 'failed') this.#manifest.failed_batches.push(record);
    else this.#manifest.pages_flushed += record.items;
    this.#writeSoon();
    return record;
  }

  /** A worker ended: whatever it was flushing or reading when it died is recorded as such. */
  workerEnded(exit: WorkerExit): void {
    for (const record of [...this.#open.values()].filter((open) => open.worker_id === exit.worker_id)) {
      record.status = 'in_flight_at_death';
      record.error = exit.error ?? `the worker ${describeDeath(exit).words} during this batch`;
      this.#manifest.batch_in_flight ??= record;
      this.#open.delete(record.label);
    }
    const position = this.#positions.unfinished(exit.worker_id);
    if (position) {
      const file = this.#manifest.inputs[position.range.file_index]?.name ?? '?';
      this.#manifest.unfinished_ranges.push({ ...position.range, worker_id: exit.worker_id, file });
      this.#manifest.pages_done += position.extracted;
      if (diedBadly(exit)) {
        const inFlight = this.#manifest.batch_in_flight?.worker_id === exit.worker_id ? this.#manifest.batch_in_flight.id : null;
        this.#manifest.culprit ??= WorkerPositions.culprit(exit.worker_id, file, position, inFlight);
      }
    }
    this.write();
  }

  finish(status: Exclude<IngestStatus, 'running'>): void {
    this.#manifest.status = status;
    this.#manifest.ended_at = this.#now();
    this.write(true);
  }

  /** The status the evidence supports, before the interrupt and OOM verdicts the caller knows about. */
  outcomeStatus(): 'completed' | 'partial_failure' {
    const m = this.#manifest;
    const incomplete = m.total_pages !== null && m.pages_done < m.total_pages;
    return m.failed_batches.length > 0 || m.input_errors.length > 0 || m.unfinished_ranges.length > 0 || m.batch_in_flight || incomplete
      ? 'partial_failure'
      : 'completed';
  }

  /** Atomic replace now; fsync only at the end (a dying container is not a power cut). */
  write(durable = false): void {
    if (this.#pendingWrite) clearTimeout(this.#pendingWrite);
    this.#pendingWrite = null;
    this.#lastWriteMs = this.#clock.monotonicMs();
    this.#manifest.updated_at = this.#now();
    replaceJsonFile(this.#path, this.#manifest, durable);
    this.#lastWriteCostMs = this.#clock.monotonicMs() - this.#lastWriteMs;
  }

  #writeSoon(): void {
    const intervalMs = Math.min(BATCH_WRITE.maxIntervalMs, Math.max(BATCH_WRITE.minIntervalMs, this.#lastWriteCostMs * BATCH_WRITE.costFactor));
    const waitMs = this.#lastWriteMs + intervalMs - this.#clock.monotonicMs();
    if (waitMs <= 0) return this.write();
    this.#pendingWrite ??= setTimeout(() => this.write(), waitMs);
  }

  #updateTotal(): void {
    const counts = this.#manifest.inputs.map((input) => input.pages);
    this.#manifest.total_pages = counts.every((count, i) => count !== null || this.#manifest.inputs[i]!.error !== null)
      ? counts.reduce<number>((sum, count) => sum + (count ?? 0), 0)
      : null;
  }

  #describeSpans(spans: PageRange[]): string {
    const names = spans.map((span) => this.#manifest.inputs[span.file_index]?.name ?? `#${span.file_index}`);
    return spans.map((span, i) => `${names[i]}:${span.first_page}${span.first_page === span.last_page ? '' : `-${span.last_page}`}`).join(', ');
  }

  #now(): string {
    return new Date(this.#clock.wallMs()).toISOString();
  }
}
