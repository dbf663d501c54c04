import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextTick } from '../../harness/supervisor/tick-schedule.js';

test('ticks are due on the grid start + k * interval, whatever the lateness of the last one', () => {
  assert.deepEqual(nextTick(1000, 200, -1, 1000), { index: 0, dueMs: 1000, skipped: 0 });
  // The last tick ran 7 ms late: the next is still due at 1400, not 1407.
  assert.deepEqual(nextTick(1000, 200, 1, 1207), { index: 2, dueMs: 1400, skipped: 0 });
});

test('a tick overdue by less than an interval runs at once; older slots are dropped, not run back to back', () => {
  assert.deepEqual(nextTick(0, 200, 1, 450), { index: 2, dueMs: 400, skipped: 0 });
  assert.deepEqual(nextTick(0, 200, 1, 1050), { index: 5, dueMs: 1000, skipped: 3 });
});

test('no drift over many ticks: the 1000th tick is due exactly 1000 intervals after the start', () => {
  let index = -1;
  let now = 5;
  for (let i = 0; i < 1000; i += 1) {
    const next = nextTick(5, 200, index, now);
    index = next.index;
    now = next.dueMs + 3; // every tick runs 3 ms late
  }
  assert.equal(index, 999);
  assert.equal(now - 3, 5 + 999 * 200);
});
