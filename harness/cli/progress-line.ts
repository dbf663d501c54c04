// Live progress on the host: one line redrawn in place on a terminal (one write per redraw), a plain line every
// 5 s otherwise. Work done and left, memory against the cap as `docker stats` shows it, the peak, and the workers.
import type { Summary } from '../run-files/summary.js';
import type { CliIo } from './cli-io.js';

const PLAIN_EVERY_MS = 5000;

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 90 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

export function formatProgress(summary: Summary): string {
  const parts: string[] = [];
  const progress = summary.progress;
  if (progress) {
    const share = progress.total ? ` (${Math.floor((progress.done / progress.total) * 100)}%)` : '';
    parts.push(`${progress.unit} ${progress.done}/${progress.total ?? '?'}${share}`);
    if (progress.total && progress.done > 0 && progress.done < progress.total) {
      parts.push(`ETA ${duration(((progress.total - progress.done) * summary.duration_ms) / progress.done)}`);
    }
  } else {
    parts.push(`${(summary.duration_ms / 1000).toFixed(1)}s`);
  }
  const usage = summary.kernel.usage_mb;
  if (usage !== null) parts.push(`memory ${Math.round(usage)}/${summary.cap_mb} MiB (${Math.round((usage / summary.cap_mb) * 100)}%)`);
  const peak = summary.kernel_peak_mb ?? summary.sampled_cgroup_peak_mb;
  if (peak !== null) parts.push(`peak ${Math.round(peak)} MiB`);
  if (progress?.unit === 'pages') parts.push(`batches ${summary.batches_done}${summary.batches_failed ? ` (+${summary.batches_failed} failed)` : ''}`);
  parts.push(`${summary.live_workers === 1 ? 'worker' : 'workers'} ${summary.live_workers}`);
  return parts.join(' · ');
}

export class ProgressLine {
  readonly #io: CliIo;
  #lastPlainMs = 0;
  #drawn = '';

  constructor(io: CliIo) {
    this.#io = io;
  }

  update(summary: Summary, nowMs = Date.now()): void {
    if (summary.sample_count === 0) return;
    const line = formatProgress(summary);
    if (this.#io.stderrIsTty) {
      if (line === this.#drawn) return;
      this.#io.stderr(`\r\x1b[2K${line}`);
      this.#drawn = line;
      return;
    }
    if (nowMs - this.#lastPlainMs >= PLAIN_EVERY_MS) {
      this.#lastPlainMs = nowMs;
      this.#io.stderr(`${line}\n`);
    }
  }

  /** Ends the updating line so what follows starts on a fresh one. */
  finish(): void {
    if (this.#drawn) this.#io.stderr('\n');
    this.#drawn = '';
  }
}
