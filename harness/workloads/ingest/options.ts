// The PDF ingest workload's options: page ranges, worker recycling, batching and the sink.
import * as z from 'zod';
import { CONTAINER_OUT_DIR } from '../../run-files/run-config.js';
import type { IngestSpec, InputFile } from './spec.js';
import { byteSizeSchema, intInRange, intInRangeOr, numberInRange } from '../../options/option-schemas.js';

export const INGEST_DEFAULTS = {
  batchSize: '10',
  maxBytes: '5000000',
  maxWaitMs: '5000',
  rangePages: '50',
  /** Measured: a fresh worker reads its first pages 10-20% slower (cold JIT and pdf.js caches); --worker-rss-limit bounds memory. */
  pagesPerWorker: '5000',
  /** Measured: 400-page parts keep a worker's peak on a 3,960-page manual near its peak on 396 pages, at no cost in time. */
  partPages: '400',
  workerRssLimit: '512m',
  sink: 'mock',
  mockLatencyMs: '0',
  mockFailRate: '0',
  mockRetainMb: '0',
  seed: '1',
  flushRetries: '2',
  slowPageMs: '0',
} as const;

export const SINK_FILE = 'sink.jsonl';

export const ingestOptionsSchema = z.object({
  batchSize: intInRange(1, 1_000_000),
  maxBytes: byteSizeSchema,
  maxWaitMs: intInRange(1, 3_600_000),
  rangePages: intInRange(1, 1_000_000),
  pagesPerWorker: intInRange(1, 10_000_000),
  partPages: intInRangeOr(['off'], 1, 10_000_000, 'an integer from 1 to 10000000, or off').transform((value) => (value === 'off' ? 0 : value)),
  workerRssLimit: byteSizeSchema,
  sink: z.enum(['mock', 'jsonl'], { message: 'mock or jsonl' }),
  mockLatencyMs: intInRange(0, 600_000),
  mockFailRate: numberInRange(0, 1),
  mockRetainMb: numberInRange(0, 1_000_000),
  seed: intInRange(0, 2 ** 31 - 1),
  flushRetries: intInRange(0, 100),
  slowPageMs: intInRange(0, 600_000),
});

export type IngestOptions = z.output<typeof ingestOptionsSchema>;

export function ingestSpec(options: IngestOptions, inputs: InputFile[]): IngestSpec {
  return {
    kind: 'ingest',
    inputs,
    range_pages: options.rangePages,
    pages_per_worker: options.pagesPerWorker,
    part_pages: options.partPages,
    worker_rss_limit_mb: Math.round(options.workerRssLimit / (1024 * 1024)),
    batch: { max_items: options.batchSize, max_bytes: options.maxBytes, max_wait_ms: options.maxWaitMs },
    sink:
      options.sink === 'mock'
        ? { kind: 'mock', latency_ms: options.mockLatencyMs, fail_rate: options.mockFailRate, retain_mb: options.mockRetainMb, seed: options.seed }
        : { kind: 'jsonl', file: `${CONTAINER_OUT_DIR}/${SINK_FILE}` },
    flush_retries: options.flushRetries,
    slow_page_ms: options.slowPageMs,
  };
}
