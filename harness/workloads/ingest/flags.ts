import { Option, type Command } from 'commander';
import { INGEST_DEFAULTS } from './options.js';

export function addIngestFlags(command: Command): Command {
  return command
    .option('--batch-size <n>', 'flush after this many items (pages)', INGEST_DEFAULTS.batchSize)
    .option('--max-bytes <size>', 'flush once the batch holds this much UTF-8 text', INGEST_DEFAULTS.maxBytes)
    .option('--max-wait-ms <ms>', "flush once the batch's first item is this old", INGEST_DEFAULTS.maxWaitMs)
    .option('--range-pages <n>', 'pages the supervisor hands a worker at a time', INGEST_DEFAULTS.rangePages)
    .option('--pages-per-worker <n>', 'a worker retires after this many pages and a fresh one continues', INGEST_DEFAULTS.pagesPerWorker)
    .option('--part-pages <n|off>', 'a worker reads each input as PDFs of at most n pages cut from it, never the whole file (off: whole)', INGEST_DEFAULTS.partPages)
    .option('--worker-rss-limit <size>', 'a worker retires once its RSS passes this', INGEST_DEFAULTS.workerRssLimit)
    .addOption(new Option('--sink <kind>', 'where batches go: a simulated store, or sink.jsonl in the run directory').choices(['mock', 'jsonl']).default(INGEST_DEFAULTS.sink))
    .option('--mock-latency-ms <ms>', 'mock sink: time each flush takes', INGEST_DEFAULTS.mockLatencyMs)
    .option('--mock-fail-rate <p>', 'mock sink: share of flush attempts that fail, 0..1', INGEST_DEFAULTS.mockFailRate)
    .option('--mock-retain-mb <mb>', 'mock sink: memory kept per flush, to simulate a leak', INGEST_DEFAULTS.mockRetainMb)
    .option('--seed <n>', 'mock sink: seed, so failures and latencies repeat exactly', INGEST_DEFAULTS.seed)
    .option('--flush-retries <n>', 'retries of a failed flush before the batch is recorded as failed', INGEST_DEFAULTS.flushRetries)
    .option('--slow-page-ms <ms>', 'extra time spent on each page, to simulate slow extraction', INGEST_DEFAULTS.slowPageMs);
}
