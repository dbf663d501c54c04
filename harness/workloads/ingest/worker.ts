// A worker of the PDF ingest: takes page ranges from the supervisor, extracts each page's text, batches the
// items and flushes them, and retires after --pages-per-worker pages or once its RSS passes the limit.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IngestSpec } from './spec.js';
import type { PageRange } from '../../common/worker-messages.js';
import type { WorkerChannel } from '../workload.js';
import { Batcher, utf8Bytes, type Batch } from './batcher.js';
import { flushWithRetry } from './flush-with-retry.js';
import { JsonlSink } from './jsonl-sink.js';
import { MockSink } from './mock-sink.js';
import { PdfDocument, PdfReadError, describePdfError } from './pdf-document.js';
import type { Sink } from './sink.js';

const MIB = 1024 * 1024;

export interface IngestWorkerRole {
  workerId: number;
  /** The first worker reads every input's page count before taking ranges. */
  plan: boolean;
}

function makeSink(workload: IngestSpec, workerId: number): Sink {
  const sink = workload.sink;
  if (sink.kind === 'jsonl') return new JsonlSink(sink.file, workload.inputs.map((input) => input.name));
  // Each worker draws from its own seeded stream, so a run with the same options repeats exactly.
  return new MockSink({ latencyMs: sink.latency_ms, failRate: sink.fail_rate, retainMb: sink.retain_mb, seed: sink.seed * 1009 + workerId });
}

function spansOf(batch: Batch): Array<{ file_index: number; first_page: number; last_page: number }> {
  const spans: Array<{ file_index: number; first_page: number; last_page: number }> = [];
  for (const item of batch.items) {
    const last = spans.at(-1);
    if (last && last.file_index === item.fileIndex && last.last_page + 1 === item.page) last.last_page = item.page;
    else spans.push({ file_index: item.fileIndex, first_page: item.page, last_page: item.page });
  }
  return spans;
}

export async function runIngestWorker(workload: IngestSpec, role: IngestWorkerRole, channel: WorkerChannel): Promise<void> {
  const now = () => performance.now();
  const sink = makeSink(workload, role.workerId);
  const batcher = new Batcher(workload.batch);
  let flushTail: Promise<void> = Promise.resolve();
  let waitTimer: NodeJS.Timeout | null = null;

  const flush = (batch: Batch): Promise<void> => {
    const run = flushTail.then(async () => {
      const label = `w${role.workerId}.${batch.seq}`;
      await channel.send({
        type: 'batch-start',
        seq: batch.seq,
        spans: spansOf(batch),
        items: batch.items.length,
        bytes: batch.bytes,
        trigger: batch.trigger,
        oversized_item: batch.oversizedItem,
      });
      const outcome = await flushWithRetry(sink, batch, label, workload.flush_retries, now);
      await channel.send({
        type: 'batch-end',
        seq: batch.seq,
        status: outcome.status,
        attempts: outcome.attempts,
        error: outcome.error,
        duration_ms: Math.round(outcome.durationMs),
        rss_mb: Math.round((process.memoryUsage.rss() / MIB) * 10) / 10,
      });
    });
    flushTail = run.catch(() => undefined);
    return run;
  };

  const armWaitTimer = () => {
    if (waitTimer) clearTimeout(waitTimer);
    waitTimer = null;
    const deadline = batcher.deadlineMs();
    if (deadline === null) return;
    waitTimer = setTimeout(() => {
      waitTimer = null;
      const due = batcher.poll(now());
      if (due) void flush(due);
      armWaitTimer();
    }, Math.max(0, deadline - now()));
  };

  let doc: PdfDocument | null = null;
  const openDocument = async (fileIndex: number): Promise<PdfDocument> => {
    const input = workload.inputs[fileIndex]!;
    if (doc?.path === input.container_path) return doc;
    await doc?.close();
    doc = null;
    doc = await PdfDocument.open(input.container_path);
    return doc;
  };

  const reportInputError = async (fileIndex: number, error: unknown) => {
    const message = error instanceof PdfReadError ? error.message : `${workload.inputs[fileIndex]?.name}: ${describePdfError(error)}`;
    await channel.send({ type: 'input-error', file_index: fileIndex, file: workload.inputs[fileIndex]?.name ?? '?', message });
  };

  if (role.plan) {
    for (let index = 0; index < workload.inputs.length; index += 1) {
      try {
        const opened = await openDocument(index);
        await channel.send({ type: 'page-count', file_index: index, pages: opened.pages });
      } catch (error) {
        await reportInputError(index, error);
      }
    }
  }

  let pagesDone = 0;
  for (;;) {
    await channel.send({ type: 'ready' });
    const message = await channel.receive();
    if (message.type === 'no-more-work') break;
    const range: PageRange = message.range;
    let pages = 0;
    try {
      const opened = await openDocument(range.file_index);
      for (let page = range.first_page; page <= range.last_page; page += 1) {
        const text = await opened.pageText(page);
        if (workload.slow_page_ms > 0) await sleep(workload.slow_page_ms);
        const item = { fileIndex: range.file_index, page, text, bytes: utf8Bytes(text) };
        pages += 1;
        for (const batch of batcher.add(item, now())) await flush(batch);
        armWaitTimer();
      }
    } catch (error) {
      await reportInputError(range.file_index, error);
    }
    await channel.send({ type: 'range-done', range, pages });
    pagesDone += pages;
    const rssMb = process.memoryUsage.rss() / MIB;
    if (pagesDone >= workload.pages_per_worker || rssMb >= workload.worker_rss_limit_mb) {
      await channel.send({ type: 'retiring', reason: pagesDone >= workload.pages_per_worker ? 'pages' : 'rss', rss_mb: Math.round(rssMb) });
      break;
    }
  }
  if (waitTimer) clearTimeout(waitTimer);
  const last = batcher.end();
  if (last) await flush(last);
  await flushTail;
  await (doc as PdfDocument | null)?.close();
  await sink.close();
}
