import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Batcher, utf8Bytes, type BatchItem } from '../../harness/workloads/ingest/batcher.js';

function item(page: number, text = `page ${page}`): BatchItem {
  return { fileIndex: 0, page, text, bytes: utf8Bytes(text) };
}

const LIMITS = { max_items: 3, max_bytes: 100, max_wait_ms: 1000 };

test('count: the batch goes out when it holds max_items', () => {
  const batcher = new Batcher(LIMITS);
  assert.deepEqual(batcher.add(item(1), 0), []);
  assert.deepEqual(batcher.add(item(2), 10), []);
  const [batch] = batcher.add(item(3), 20);
  assert.equal(batch!.trigger, 'count');
  assert.deepEqual(batch!.items.map((i) => i.page), [1, 2, 3]);
  assert.equal(batcher.pendingItems, 0);
});

test('bytes: an item that would overflow max_bytes sends the batch before it; reaching it exactly sends at once', () => {
  const batcher = new Batcher({ ...LIMITS, max_items: 100 });
  batcher.add(item(1, 'a'.repeat(60)), 0);
  const [full] = batcher.add(item(2, 'b'.repeat(50)), 1);
  assert.equal(full!.trigger, 'bytes');
  assert.deepEqual(full!.items.map((i) => i.page), [1]);
  assert.equal(full!.bytes, 60);
  const [exact] = batcher.add(item(3, 'c'.repeat(50)), 2);
  assert.equal(exact!.trigger, 'bytes');
  assert.equal(exact!.bytes, 100);
});

test('bytes are UTF-8 bytes, not characters', () => {
  assert.equal(utf8Bytes('é'), 2);
  assert.equal(utf8Bytes('€'), 3);
  const batcher = new Batcher({ ...LIMITS, max_items: 100, max_bytes: 5 });
  const text = '€€';
  const [batch] = batcher.add({ fileIndex: 0, page: 1, text, bytes: utf8Bytes(text) }, 0);
  assert.equal(batch!.trigger, 'bytes');
  assert.equal(batch!.oversizedItem, true);
});

test('an item larger than max_bytes goes out alone, after what was waiting, and says so', () => {
  const batcher = new Batcher(LIMITS);
  batcher.add(item(1), 0);
  const batches = batcher.add(item(2, 'x'.repeat(250)), 5);
  assert.equal(batches.length, 2);
  assert.deepEqual(batches[0]!.items.map((i) => i.page), [1]);
  assert.equal(batches[0]!.oversizedItem, false);
  assert.deepEqual(batches[1]!.items.map((i) => i.page), [2]);
  assert.equal(batches[1]!.oversizedItem, true);
  assert.equal(batches[1]!.trigger, 'bytes');
  assert.equal(batcher.pendingItems, 0);
});

test('wait: the clock decides; max_wait_ms counts from the first item of the batch', () => {
  const batcher = new Batcher(LIMITS);
  assert.equal(batcher.deadlineMs(), null);
  batcher.add(item(1), 100);
  batcher.add(item(2), 900);
  assert.equal(batcher.deadlineMs(), 1100);
  assert.equal(batcher.poll(1099), null);
  const batch = batcher.poll(1100);
  assert.equal(batch!.trigger, 'wait');
  assert.deepEqual(batch!.items.map((i) => i.page), [1, 2]);
  assert.equal(batcher.deadlineMs(), null);
});

test('an item arriving after the deadline first sends the stale batch, then starts a new one', () => {
  const batcher = new Batcher(LIMITS);
  batcher.add(item(1), 0);
  const [stale] = batcher.add(item(2), 5000);
  assert.equal(stale!.trigger, 'wait');
  assert.deepEqual(stale!.items.map((i) => i.page), [1]);
  assert.equal(batcher.pendingItems, 1);
  assert.equal(batcher.deadlineMs(), 6000);
});

test('end: whatever is pending goes out at the end of input; nothing when empty', () => {
  const batcher = new Batcher(LIMITS);
  assert.equal(batcher.end(), null);
  batcher.add(item(1), 0);
  const batch = batcher.end();
  assert.equal(batch!.trigger, 'end');
  assert.equal(batcher.end(), null);
});

test('sequence numbers rise by one per batch', () => {
  const batcher = new Batcher({ ...LIMITS, max_items: 1 });
  const seqs = [1, 2, 3].flatMap((page) => batcher.add(item(page), page).map((batch) => batch.seq));
  assert.deepEqual(seqs, [1, 2, 3]);
});
