// Where memory grew: each worker's memory over each page range it extracted, from memory_log.csv's rows, so a
// report can name the ranges that cost the most (the way a profiler names its top allocators).
import { numberOf, type MemoryLogRecord } from '../run-files/memory-log.js';

export interface RangeGrowth {
  file_index: number;
  first_page: number;
  last_page: number;
  worker_id: number;
  /**
   * The worker's anonymous RSS (what it allocated itself; read every sample, unlike PSS, so one measure runs through
   * the range) at its first sample in the range and at its highest.
   */
  start_mb: number;
  peak_mb: number;
  growth_mb: number;
}

export function rangeGrowth(records: readonly MemoryLogRecord[], rangePages: number, top = 5): RangeGrowth[] {
  const ranges = new Map<string, RangeGrowth>();
  for (const record of records) {
    const page = numberOf(record, 'page');
    const fileIndex = numberOf(record, 'file_index');
    const workerId = numberOf(record, 'worker_id');
    const mb = numberOf(record, 'rss_anon_mb');
    if (record.role !== 'worker' || page === null || fileIndex === null || workerId === null || mb === null) continue;
    const first = Math.floor((page - 1) / rangePages) * rangePages + 1;
    const key = `${workerId}:${fileIndex}:${first}`;
    const range = ranges.get(key);
    if (!range) {
      ranges.set(key, { file_index: fileIndex, first_page: first, last_page: page, worker_id: workerId, start_mb: mb, peak_mb: mb, growth_mb: 0 });
      continue;
    }
    range.last_page = Math.max(range.last_page, page);
    range.peak_mb = Math.max(range.peak_mb, mb);
    range.growth_mb = Math.round((range.peak_mb - range.start_mb) * 10) / 10;
  }
  return [...ranges.values()].sort((a, b) => b.growth_mb - a.growth_mb).slice(0, top);
}
