// memory_log.csv: one row per process per tick, written and handed to the kernel as each tick ends.
import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

export const MEMORY_LOG_COLUMNS = [
  'timestamp',
  'elapsed_ms',
  'tick',
  'pid',
  'role',
  'worker_id',
  'batch_id',
  'rss_mb',
  'rss_anon_mb',
  'vms_mb',
  'hwm_mb',
  'cgroup_usage_mb',
  'cgroup_peak_mb',
  'cgroup_oom_kills',
] as const;

export type MemoryLogRow = Record<(typeof MEMORY_LOG_COLUMNS)[number], string | number | null>;

export class MemoryLogWriter {
  readonly #fd: number;

  constructor(path: string) {
    this.#fd = openSync(path, 'a');
    writeSync(this.#fd, stringify([MEMORY_LOG_COLUMNS as unknown as string[]]));
  }

  append(rows: readonly MemoryLogRow[]): void {
    if (rows.length === 0) return;
    const records = rows.map((row) => MEMORY_LOG_COLUMNS.map((column) => row[column] ?? ''));
    // writeSync leaves the bytes with the kernel at once, so a SIGKILL loses at most the tick in progress.
    writeSync(this.#fd, stringify(records));
  }

  close(): void {
    closeSync(this.#fd);
  }
}
