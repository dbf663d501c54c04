// The worker's side of batching: items go into the batcher, and each batch it hands back (by count, bytes, or a
// wait timer) is flushed to the sink in order, announced to the supervisor before and after.
import { performance } from 'node:perf_hooks';
import type { PageRange } from '../../common/worker-messages.js';
import type { WorkerChannel } from '../contract/workload.js';
import { Batcher, type Batch, type BatchItem } from './batcher.js';
import { flushWithRetry } from './flush-with-retry.js';
import type { Sink } from './sink.js';
import type { IngestSpec } from './spec.js';

const MIB = 1024 * 1024;
const now = () => performance.now();

function spansOf(batch: Batch): PageRange[] {
  const spans: PageRange[] = [];
  for (const item of batch.items) {
    const last = spans.at(-1);
    if (last && last.file_index === item.fileIndex && last.last_page + 1 === item.page) last.last_page = item.page;
    else spans.push({ file_index: item.fileIndex, first_page: item.page, last_page: item.page });
  }
  return spans;
}

export class BatchFlusher {
  readonly #batcher: Batcher;
  readonly #sink: Sink;
  readonly #spec: IngestSpec;
  readonly #workerId: number;
  readonly #channel: WorkerChannel;
  #tail: Promise<void> = Promise.resolve();
  #waitTimer: NodeJS.Timeout | null = null;

  constructor(spec: IngestSpec, workerId: number, sink: Sink, channel: WorkerChannel) {
    this.#spec = spec;
    this.#workerId = workerId;
    this.#sink = sink;
    this.#channel = channel;
    this.#batcher = new Batcher(spec.batch);
  }

  /** Adds one page's item; resolves once any batch it completed has been flushed. */
  async add(item: BatchItem): Promise<void> {
    for (const batch of this.#batcher.add(item, now())) await this.#flush(batch);
    this.#armWaitTimer();
  }

  /** Flushes what is left and waits for every flush to end. */
  async end(): Promise<void> {
    if (this.#waitTimer) clearTimeout(this.#waitTimer);
    const last = this.#batcher.end();
    if (last) await this.#flush(last);
    await this.#tail;
  }

  #flush(batch: Batch): Promise<void> {
    const run = this.#tail.then(async () => {
      await this.#channel.send({
        type: 'batch-start',
        seq: batch.seq,
        spans: spansOf(batch),
        items: batch.items.length,
        bytes: batch.bytes,
        trigger: batch.trigger,
        oversized_item: batch.oversizedItem,
      });
      const outcome = await flushWithRetry(this.#sink, batch, `w${this.#workerId}.${batch.seq}`, this.#spec.flush_retries, now);
      await this.#channel.send({
        type: 'batch-end',
        seq: batch.seq,
        status: outcome.status,
        attempts: outcome.attempts,
        error: outcome.error,
        duration_ms: Math.round(outcome.durationMs),
        rss_mb: Math.round((process.memoryUsage.rss() / MIB) * 10) / 10,
      });
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  #armWaitTimer(): void {
    if (this.#waitTimer) clearTimeout(this.#waitTimer);
    this.#waitTimer = null;
    const deadline = this.#batcher.deadlineMs();
    if (deadline === null) return;
    this.#waitTimer = setTimeout(() => {
      this.#waitTimer = null;
      const due = this.#batcher.poll(now());
      if (due) void this.#flush(due);
      this.#armWaitTimer();
    }, Math.max(0, deadline - now()));
  }
}
