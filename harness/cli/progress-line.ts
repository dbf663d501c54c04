// Live progress on the host: one updating line on a terminal, a plain line every few seconds otherwise.
import type { Summary } from '../run-files/summary.js';
import type { CliIo } from './cli-io.js';

const PLAIN_EVERY_MS = 5000;

export function formatProgress(summary: Summary): string {
  const seconds = (summary.duration_ms / 1000).toFixed(1);
  const kernelPeak = summary.kernel_peak_mb ?? summary.sampled_cgroup_peak_mb;
  const peak = kernelPeak === null ? 'n/a' : `${kernelPeak.toFixed(1)} MiB`;
  return `[${seconds}s] rss ${summary.current_rss_mb.toFixed(1)} MiB | kernel peak ${peak} | cap ${summary.cap_mb} MiB | batches ${summary.batches_done}${summary.batches_failed ? ` (+${summary.batches_failed} failed)` : ''} | workers ${summary.live_workers}`;
}

export class ProgressLine {
  readonly #io: CliIo;
  #lastPlainMs = 0;
  #drawn = false;

  constructor(io: CliIo) {
    this.#io = io;
  }

  update(summary: Summary): void {
    if (summary.sample_count === 0) return;
    const line = formatProgress(summary);
    if (this.#io.stderrIsTty) {
      this.#io.stderr(`\r\x1b[2K${line}`);
      this.#drawn = true;
      return;
    }
    const now = Date.now();
    if (now - this.#lastPlainMs >= PLAIN_EVERY_MS) {
      this.#lastPlainMs = now;
      this.#io.stderr(`${line}\n`);
    }
  }

  /** Ends the updating line so what follows starts on a fresh one. */
  finish(): void {
    if (this.#drawn) this.#io.stderr('\n');
    this.#drawn = false;
  }
}
