// A worker of the PDF ingest: takes page ranges from the supervisor, extracts each page's text, batches the
// items and flushes them, and retires after --pages-per-worker pages or once its RSS passes the limit.
import { setTimeout as sleep } from 'node:timers/promises';
import type { PageRange } from '../../common/worker-messages.js';
import type { WorkerChannel } from '../contract/workload.js';
import { BatchFlusher } from './batch-flusher.js';
import { utf8Bytes } from './batcher.js';
import { JsonlSink } from './jsonl-sink.js';
import { MockSink } from './mock-sink.js';
import { PdfReadError, describePdfError } from './pdf-document.js';
import { checkInputAsRecorded } from './input-as-recorded.js';
import { loadPdfParse } from './pdf-parse-loader.js';
import { type OpenedInput, type PageSource, PartedDocument, openPageSource } from './parted-document.js';
import type { Sink } from './sink.js';
import type { IngestSpec, InputFile } from './spec.js';
import type { IngestWorkerRole } from './worker-role.js';

const MIB = 1024 * 1024;


function makeSink(spec: IngestSpec, workerId: number): Sink {
  const sink = spec.sink;
  if (sink.kind === 'jsonl') return new JsonlSink(sink.file, spec.inputs.map((input) => input.name));
  // Each worker draws from its own seeded stream, so a run with the same options repeats exactly.
  return new MockSink({ latencyMs: sink.latency_ms, failRate: sink.fail_rate, retainMb: sink.retain_mb, seed: sink.seed * 1009 + workerId });
}

/** One open document at a time: ranges of the same file reuse it. */
class DocumentCache {
  readonly #partPages: number;
  #opened: OpenedInput | null = null;

  constructor(partPages: number) {
    this.#partPages = partPages;
  }

  async open(input: InputFile): Promise<PageSource> {
    return (await this.openInput(input)).doc;
  }

  /** The document, and how it is read (in parts, or whole and why); first checked to be the file the host hashed. */
  async openInput(input: InputFile): Promise<OpenedInput> {
    if (this.#opened?.doc.path === input.container_path) return this.#opened;
    await this.close();
    await checkInputAsRecorded(input);
    this.#opened = await openPageSource(input.container_path, this.#partPages);
    return this.#opened;
  }

  /** How the open input is read, once that has changed since it was opened (a failed cut); null otherwise. */
  changedReadAs(): string | null {
    const opened = this.#opened;
    if (!(opened?.doc instanceof PartedDocument) || opened.doc.readWholeFrom === null || opened.readAs === opened.doc.readAs) return null;
    opened.readAs = opened.doc.readAs;
    return opened.readAs;
  }

  async close(): Promise<void> {
    const doc = this.#opened?.doc;
    this.#opened = null;
    await doc?.close();
  }
}

export async function runIngestWorker(spec: IngestSpec, role: IngestWorkerRole, channel: WorkerChannel): Promise<void> {
  // Loaded before anything else, and before a worker says it is ready: one that waits for the plan loads pdf-parse
  // and pdf.js's worker module while the planning worker reads the page counts, not after its first range arrives.
  await loadPdfParse();
  const sink = makeSink(spec, role.workerId);
  const flusher = new BatchFlusher(spec, role.workerId, sink, channel);
  const docs = new DocumentCache(spec.part_pages);
  const reportInputError = async (fileIndex: number, error: unknown) => {
    const message = error instanceof PdfReadError ? error.message : `${spec.inputs[fileIndex]?.name}: ${describePdfError(error)}`;
    await channel.send({ type: 'input-error', file_index: fileIndex, file: spec.inputs[fileIndex]?.name ?? '?', message });
  };
  if (role.plan) {
    for (let index = 0; index < spec.inputs.length; index += 1) {
      try {
        const opened = await docs.openInput(spec.inputs[index]!);
        await channel.send({ type: 'page-count', file_index: index, pages: opened.doc.pages, read_as: opened.readAs });
      } catch (error) {
        await reportInputError(index, error);
      }
    }
  }
  const warm = role.warm === null ? undefined : spec.inputs[role.warm];
  // A failure here is the range's to report, when it is read.
  if (warm) await docs.open(warm).catch(() => undefined);
  let pagesDone = 0;
  for (;;) {
    await channel.send({ type: 'ready' });
    const message = await channel.receive();
    if (message.type === 'no-more-work') break;
    const range: PageRange = message.range;
    let pages = 0;
    try {
      pages = await extractRange(spec, range, docs, flusher, channel);
    } catch (error) {
      pages = error instanceof RangeFailure ? error.pages : 0;
      await reportInputError(range.file_index, error instanceof RangeFailure ? error.cause : error);
    }
    await channel.send({ type: 'range-done', range, pages });
    pagesDone += pages;
    const rssMb = process.memoryUsage.rss() / MIB;
    if (pagesDone >= spec.pages_per_worker || rssMb >= spec.worker_rss_limit_mb) {
      await channel.send({ type: 'retiring', reason: pagesDone >= spec.pages_per_worker ? 'pages' : 'rss', rss_mb: Math.round(rssMb) });
      break;
    }
  }
  await flusher.end();
  await docs.close();
  await sink.close();
}

/** A range that failed part-way: how many of its pages were extracted first. */
class RangeFailure extends Error {
  constructor(
    readonly pages: number,
    cause: unknown,
  ) {
    super('range failed', { cause });
  }
}

async function extractRange(spec: IngestSpec, range: PageRange, docs: DocumentCache, flusher: BatchFlusher, channel: WorkerChannel): Promise<number> {
  let pages = 0;
  try {
    const opened = await docs.open(spec.inputs[range.file_index]!);
    for (let page = range.first_page; page <= range.last_page; page += 1) {
      await channel.send({ type: 'page', file_index: range.file_index, page });
      const text = await opened.pageText(page);
      const readAs = docs.changedReadAs();
      if (readAs) await channel.send({ type: 'read-as', file_index: range.file_index, read_as: readAs });
      if (spec.slow_page_ms > 0) await sleep(spec.slow_page_ms);
      pages += 1;
      await flusher.add({ fileIndex: range.file_index, page, text, bytes: utf8Bytes(text) });
    }
  } catch (error) {
    throw new RangeFailure(pages, error);
  }
  return pages;
}
