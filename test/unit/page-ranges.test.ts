// The order ranges are handed out in: file order when inputs are read whole; by part when they are read in parts,
// so that each part is cut and opened by one worker. And --part-pages, the option that sets the parts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PageRange } from '../../harness/common/worker-messages.js';
import { INGEST_DEFAULTS, ingestOptionsSchema } from '../../harness/workloads/ingest/options.js';
import { PageRangeQueue } from '../../harness/workloads/ingest/page-ranges.js';

const firsts = (ranges: Array<PageRange | null>) => ranges.map((range) => (range ? `${range.file_index}:${range.first_page}` : null));

test('read whole: ranges go in file order, whoever asks', () => {
  const queue = new PageRangeQueue(10);
  queue.addFile(1, 15);
  queue.addFile(0, 25);
  const a = queue.next();
  const b = queue.next(null, [a!]);
  assert.deepEqual(firsts([a, b, queue.next(a, [b!]), queue.next(b), queue.next(), queue.next()]), ['0:1', '0:11', '0:21', '1:1', '1:11', null]);
});

test('read in parts: each worker stays in its part, and a new worker takes a part no other worker is reading', () => {
  const queue = new PageRangeQueue(10, 20);
  queue.addFile(0, 60);
  const a1 = queue.next();
  const b1 = queue.next(null, [a1!]);
  assert.deepEqual(firsts([a1, b1]), ['0:1', '0:21']);
  const a2 = queue.next(a1, [b1!]);
  const b2 = queue.next(b1, [a2!]);
  assert.deepEqual(firsts([a2, b2]), ['0:11', '0:31'], 'the next range of its own part');
  const a3 = queue.next(a2, [b2!]);
  assert.deepEqual(firsts([a3]), ['0:41'], 'its part done, a part nobody reads');
  assert.deepEqual(firsts([queue.peek(b2, [a3!]), queue.next(b2, [a3!])]), ['0:51', '0:51'], "at the end, another's part");
  assert.equal(queue.remaining, 0);
});

test('read in parts with one worker: a fresh worker continues where the retired one was', () => {
  const queue = new PageRangeQueue(10, 20);
  queue.addFile(0, 40);
  const first = queue.next();
  assert.deepEqual(firsts([first, queue.next(null, []), queue.next(), queue.next()]), ['0:1', '0:11', '0:21', '0:31']);
});

test('--part-pages takes a page count or off, and names the value and the form expected otherwise', () => {
  const parse = (partPages: string) => ingestOptionsSchema.safeParse({ ...INGEST_DEFAULTS, partPages });
  const ok = (partPages: string) => {
    const result = parse(partPages);
    assert.ok(result.success, partPages);
    return result.data.partPages;
  };
  assert.deepEqual([ok('400'), ok('1'), ok('off')], [400, 1, 0]);
  assert.equal(ok(INGEST_DEFAULTS.partPages), 400, 'the default');
  for (const bad of ['0', '-3', '1.5', 'abc', '', 'OFF']) {
    const result = parse(bad);
    assert.ok(!result.success, bad);
    assert.match(result.error.issues[0]!.message, /an integer from 1 to 10000000, or off/, bad);
  }
});

test('read in parts: a range ends at the end of its part, so a worker holds one part at a time', () => {
  const queue = new PageRangeQueue(15, 20);
  queue.addFile(0, 45);
  const ranges: Array<PageRange | null> = [];
  for (let range = queue.next(); range; range = queue.next(range)) ranges.push(range);
  assert.deepEqual(
    ranges.map((range) => `${range!.first_page}-${range!.last_page}`),
    ['1-15', '16-20', '21-35', '36-40', '41-45'],
  );
});
