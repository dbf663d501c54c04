import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextTick, samplingInterval } from '../../harness/supervisor/tick-schedule.js';

test('ticks are due on the grid start + k * interval, whatever the lateness of the last one', () => {
  assert.deepEqual(nextTick(1000, 200, null, 1000), { dueMs: 1000, skipped: 0 });
  // The last tick was due at 1200 and ran 7 ms late: the next is still due at 1400, not 1407.
  assert.deepEqual(nextTick(1000, 200, 1200, 1207), { dueMs: 1400, skipped: 0 });
});

test('a tick overdue by less than an interval runs at once; older slots are dropped, not run back to back', () => {
  assert.deepEqual(nextTick(0, 200, 200, 450), { dueMs: 400, skipped: 0 });
  assert.deepEqual(nextTick(0, 200, 200, 1050), { dueMs: 1000, skipped: 3 });
});

test('no drift over many ticks: the 1000th tick is due exactly 999 intervals after the first', () => {
  let last: number | null = null;
  let now = 5;
  for (let i = 0; i < 1000; i += 1) {
    const next = nextTick(5, 200, last, now);
    last = next.dueMs;
    now = next.dueMs + 3; // every tick runs 3 ms late
  }
  assert.equal(last, 5 + 999 * 200);
});

test('switching to the finer near-cap grid and back keeps both on the same start', () => {
  assert.deepEqual(nextTick(0, 50, 400, 401), { dueMs: 450, skipped: 0 });
  assert.deepEqual(nextTick(0, 200, 450, 460), { dueMs: 600, skipped: 0 });
});

test('the interval shortens within 15% of the limit, and never without a limit', () => {
  assert.equal(samplingInterval(200, 50, 80, 100), 200);
  assert.equal(samplingInterval(200, 50, 85, 100), 50);
  assert.equal(samplingInterval(200, 50, 99, null), 200);
  assert.equal(samplingInterval(200, 500, 99, 100), 200);
});
