// Where a worker grew, per page range: one measure through the whole range (anonymous RSS, read every sample), so
// a PSS read on some samples and not others cannot show up as growth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rangeGrowth } from '../../harness/report/range-growth.js';
import type { MemoryLogRecord } from '../../harness/run-files/memory-log.js';

const row = (page: number, rssAnon: number, pss: string): MemoryLogRecord =>
  ({ role: 'worker', worker_id: '1', file_index: '0', page: String(page), rss_anon_mb: String(rssAnon), rss_mb: String(rssAnon + 45), pss_mb: pss }) as unknown as MemoryLogRecord;

test('growth per range is anonymous RSS from the first sample in the range to its highest, PSS or not', () => {
  const records = [row(1, 30, '60'), row(10, 31, ''), row(49, 32, ''), row(51, 40, '70'), row(80, 55, ''), row(100, 52, '')];
  const growth = rangeGrowth(records, 50);
  assert.deepEqual(
    growth.map((g) => [g.first_page, g.last_page, g.start_mb, g.peak_mb, g.growth_mb]),
    [
      [51, 100, 40, 55, 15],
      [1, 49, 30, 32, 2],
    ],
  );
});
