import { readFileSync } from 'node:fs';
import { parseMemoryLog, type MemoryLogRecord } from '../../harness/run-files/memory-log.js';

export type MemoryRow = MemoryLogRecord;

/** memory_log.csv as records, read with the harness's own reader. */
export function readMemoryLog(path: string): MemoryRow[] {
  return parseMemoryLog(readFileSync(path, 'utf8'));
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}
