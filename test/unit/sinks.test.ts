import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Batch } from '../../harness/workloads/ingest/batcher.js';
import { flushWithRetry } from '../../harness/workloads/ingest/flush-with-retry.js';
import { JsonlSink } from '../../harness/workloads/ingest/jsonl-sink.js';
import { MockSink } from '../../harness/workloads/ingest/mock-sink.js';
import { tempOutDir } from '../helpers/cli.js';

function batch(pages: number[]): Batch {
  return {
    seq: 1,
    items: pages.map((page) => ({ fileIndex: 0, page, text: `text of ${page}`, bytes: 10 })),
    bytes: pages.length * 10,
    trigger: 'count',
    oversizedItem: false,
    openedAtMs: 0,
  };
}

async function failurePattern(seed: number): Promise<boolean[]> {
  const sink = new MockSink({ latencyMs: 0, failRate: 0.5, retainMb: 0, seed });
  const pattern: boolean[] = [];
  for (let i = 0; i < 40; i += 1) pattern.push(await sink.write(batch([i])).then(() => true, () => false));
  return pattern;
}

test('the mock sink fails the same attempts for the same seed, and others for another seed', async () => {
  const a = await failurePattern(7);
  assert.deepEqual(await failurePattern(7), a);
  assert.notDeepEqual(await failurePattern(8), a);
  const failures = a.filter((ok) => !ok).length;
  assert.ok(failures > 8 && failures < 32, `about half fail: ${failures}/40`);
});

test('the mock sink keeps retain_mb of resident memory per flush', async () => {
  const sink = new MockSink({ latencyMs: 0, failRate: 0, retainMb: 4, seed: 1 });
  await sink.write(batch([1]));
  await sink.write(batch([2]));
  assert.equal(sink.retained.length, 2);
  assert.equal(sink.retained[1]!.length, 4 * 1024 * 1024);
  assert.equal(sink.retained[1]![12345], 0x5a);
});

test('a flush is retried, then reported failed with its attempts and error', async () => {
  let calls = 0;
  const flaky = { kind: 'flaky', close: async () => undefined, write: async () => { calls += 1; if (calls < 3) throw new Error(`nope ${calls}`); } };
  const ok = await flushWithRetry(flaky, batch([1]), 'w1.1', 2, () => 0);
  assert.deepEqual(ok, { status: 'flushed', attempts: 3, error: null, durationMs: 0 });
  calls = -10;
  const failed = await flushWithRetry(flaky, batch([1]), 'w1.1', 1, () => 0);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.attempts, 2);
  assert.equal(failed.error, 'nope -8');
});

test('the jsonl sink appends one line per item with the batch label, in order', async () => {
  const path = join(tempOutDir(), 'sink.jsonl');
  const sink = new JsonlSink(path, ['doc.pdf']);
  await sink.write(batch([1, 2]), 'w1.1');
  await sink.write(batch([3]), 'w1.2');
  await sink.close();
  const lines = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines.map((line) => [line.batch, line.file, line.page]), [['w1.1', 'doc.pdf', 1], ['w1.1', 'doc.pdf', 2], ['w1.2', 'doc.pdf', 3]]);
});
