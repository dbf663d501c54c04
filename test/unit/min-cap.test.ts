import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMinCap, type Probe } from '../../harness/search/min-cap.js';

const MIB = 1024 * 1024;
const probeAt = (needMb: number, flakyAt: number | null = null) => {
  let flakes = 0;
  return async (capBytes: number): Promise<Probe> => {
    const capMb = capBytes / MIB;
    // A flaky cap passes once, then fails: the repeat must catch it.
    const flaky = flakyAt !== null && capMb >= flakyAt && capMb < needMb && flakes++ === 0;
    return { capBytes, verdict: capMb >= needMb || flaky ? 'completed' : 'cgroup-oom', kernelPeakMb: Math.min(capMb, needMb), durationMs: 10, bundle: null };
  };
};

test('bisection brackets the smallest cap within the tolerance, geometric steps, every probe kept', async () => {
  const answer = await findMinCap({ fromBytes: 96 * MIB, toBytes: 8192 * MIB, tolerance: 0.05, repeat: 2 }, probeAt(212));
  assert.equal(answer.kind, 'answer');
  if (answer.kind !== 'answer') return;
  assert.ok(answer.minSafeCapBytes >= 212 * MIB && answer.minSafeCapBytes <= 212 * MIB * 1.06, `${answer.minSafeCapBytes / MIB}`);
  assert.ok(answer.maxFailingCapBytes! < 212 * MIB);
  assert.ok(answer.minSafeCapBytes <= answer.maxFailingCapBytes! * 1.05 + MIB);
  assert.ok(answer.probes.length < 30, `${answer.probes.length} probes`);
});

test('a cap that passes once and then fails does not count; OOM at the top and other failures are said so', async () => {
  const answer = await findMinCap({ fromBytes: 96 * MIB, toBytes: 1024 * MIB, tolerance: 0.05, repeat: 2 }, probeAt(300, 150));
  assert.equal(answer.kind, 'answer');
  if (answer.kind === 'answer') assert.ok(answer.minSafeCapBytes >= 300 * MIB);
  assert.equal((await findMinCap({ fromBytes: 96 * MIB, toBytes: 256 * MIB, tolerance: 0.05, repeat: 1 }, probeAt(300))).kind, 'oom-at-top');
  const crash = async (capBytes: number): Promise<Probe> => ({ capBytes, verdict: 'crashed', kernelPeakMb: null, durationMs: 1, bundle: null });
  assert.equal((await findMinCap({ fromBytes: 96 * MIB, toBytes: 256 * MIB, tolerance: 0.05, repeat: 1 }, crash)).kind, 'other-failure');
  const atFloor = await findMinCap({ fromBytes: 96 * MIB, toBytes: 256 * MIB, tolerance: 0.05, repeat: 1 }, probeAt(50));
  assert.deepEqual(atFloor.kind === 'answer' && [atFloor.minSafeCapBytes, atFloor.maxFailingCapBytes], [96 * MIB, null]);
});
