// A simulated store: seeded latency and failures, and memory kept per flush to reproduce a client-side leak.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Batch } from './batcher.js';
import { seededRandom } from './seeded-random.js';
import type { Sink } from './sink.js';

export interface MockSinkOptions {
  latencyMs: number;
  failRate: number;
  retainMb: number;
  seed: number;
}

const MIB = 1024 * 1024;

export class MockSink implements Sink {
  readonly #options: MockSinkOptions;
  readonly #random: () => number;
  /** What a leaking client would keep: native memory, every page written, never freed. */
  readonly retained: Buffer[] = [];

  constructor(options: MockSinkOptions) {
    this.#options = options;
    this.#random = seededRandom(options.seed);
  }

  async write(_batch: Batch): Promise<void> {
    const { latencyMs, failRate, retainMb } = this.#options;
    if (retainMb > 0) {
      const leak = Buffer.allocUnsafe(Math.round(retainMb * MIB));
      leak.fill(0x5a);
      this.retained.push(leak);
    }
    // Latency varies between half and one and a half times the setting, the same way for the same seed.
    const latency = latencyMs > 0 ? Math.round(latencyMs * (0.5 + this.#random())) : 0;
    const fails = failRate > 0 && this.#random() < failRate;
    if (latency > 0) await sleep(latency);
    if (fails) throw new Error('mock sink: simulated flush failure');
  }

  async close(): Promise<void> {
    this.retained.length = 0;
  }
}
