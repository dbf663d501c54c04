import type { Batch } from './batcher.js';
import type { Sink } from './sink.js';

export interface FlushOutcome {
  status: 'flushed' | 'failed';
  attempts: number;
  error: string | null;
  durationMs: number;
}

/** One attempt, then up to `retries` more; a batch that still fails is reported, and the run goes on. */
export async function flushWithRetry(sink: Sink, batch: Batch, label: string, retries: number, now: () => number): Promise<FlushOutcome> {
  const started = now();
  let lastError: string | null = null;
  for (let attempt = 1; attempt <= retries + 1; attempt += 1) {
    try {
      await sink.write(batch, label);
      return { status: 'flushed', attempts: attempt, error: null, durationMs: now() - started };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
  }
  return { status: 'failed', attempts: retries + 1, error: lastError, durationMs: now() - started };
}
