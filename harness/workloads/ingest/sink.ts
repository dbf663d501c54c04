// Where batches go. One attempt per call; retrying is the caller's business.
import type { Batch } from './batcher.js';

export interface Sink {
  write(batch: Batch, batchLabel: string): Promise<void>;
  close(): Promise<void>;
}
