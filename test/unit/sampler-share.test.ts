// PSS reads cost page-table walks, so the sampler budgets them; but a short or climbing run must still have its
// peak read: past the budget, a rise of the cgroup 5% past the highest usage a read has seen brings one more (at most
// once a second).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TickSample } from '../../harness/run-files/memory-log.js';
import { Sampler } from '../../harness/supervisor/sampler.js';
import { FakeClock } from '../helpers/fake-clock.js';

const MIB = 1024 * 1024;

function run(
  t: import('node:test').TestContext,
  usageAt: (ms: number) => number,
  durationMs: number,
  askAtMs: number | null = null,
  pidsAt: (ms: number) => number[] = () => [1],
): TickSample[] {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const clock = new FakeClock();
  const start = clock.nowMs;
  const samples: TickSample[] = [];
  const sampler = new Sampler({
    intervalMs: 200,
    nearCapIntervalMs: 50,
    clock,
    listProcesses: () => pidsAt(clock.nowMs - start).map((pid) => ({ pid, role: 'supervisor' as const, workerId: null, batchId: null, fileIndex: null, page: null })),
    readProcess: (_pid, withShare) => {
      clock.nowMs += withShare ? 5 : 0.1; // a PSS read of ~200 MiB resident: 5 ms
      return { memory: { name: 'node', pid: 1, ppid: 0, rssBytes: 80 * MIB, vmsBytes: 900 * MIB, hwmBytes: 80 * MIB, anonBytes: 40 * MIB }, share: null, argv: null };
    },
    readCgroup: () => ({ version: 1, usageBytes: usageAt(clock.nowMs - start) * MIB, peakBytes: null, peakSource: null, limitBytes: 4096 * MIB, oomEvents: null, oomKills: 0, failcnt: 0, underOom: false, anonBytes: null, fileBytes: null }),
    onSample: (sample) => samples.push(sample),
    onError: (error) => assert.fail(String(error)),
  });
  sampler.start();
  for (let ms = 0; ms < durationMs; ms += 10) {
    if (ms === askAtMs) sampler.readShareNextTick();
    clock.nowMs += 10;
    t.mock.timers.tick(10);
  }
  sampler.stop();
  return samples;
}

const readsAt = (samples: TickSample[]) => samples.filter((s) => s.shareRead).map((s) => Math.round(s.scheduledMs / 100) / 10);

test('flat memory: PSS on the first tick, then only within the budget (0.2% of a core)', (t) => {
  const reads = readsAt(run(t, () => 100, 10_000));
  assert.equal(reads[0], 0);
  // 5 ms a read within 0.2% of 10 s = 20 ms: the first read and three more, never one a tick.
  assert.ok(reads.length >= 3 && reads.length <= 5, `reads at ${reads.join(', ')} s`);
});

test('a climbing cgroup brings a PSS read at least every 1.2 s, and never more than one a second', (t) => {
  const reads = readsAt(run(t, (ms) => 100 + ms / 10, 6_000)); // +100 MiB a second: far past 5% each second
  assert.ok(reads.length >= 6, `reads at ${reads.join(', ')} s`);
  for (let i = 1; i < reads.length; i += 1) {
    const gap = reads[i]! - reads[i - 1]!;
    assert.ok(gap >= 0.2 && gap <= 1.2, `gap ${gap.toFixed(1)} s between reads at ${reads.join(', ')} s`);
  }
  const growthReads = reads.filter((at, i) => i > 0 && at - reads[i - 1]! < 1);
  assert.deepEqual(growthReads.length <= 2, true, 'reads less than a second apart come only from the budget, early on');
});

test('asked for it (the supervisor has loaded), the next tick reads PSS past the budget, and only that one', (t) => {
  const flat = readsAt(run(t, () => 100, 10_000));
  t.mock.timers.reset();
  const asked = readsAt(run(t, () => 100, 10_000, 6_050));
  assert.ok(!flat.includes(6.2), `unasked, no read at 6.2 s: ${flat.join(', ')}`);
  assert.ok(asked.includes(6.2), `asked at 6.05 s, a read at the next tick, 6.2 s: ${asked.join(', ')}`);
  // The asked read is charged to the budget like any other: no more reads after it than without it.
  assert.ok(asked.filter((at) => at > 6.2).length <= flat.filter((at) => at > 6.2).length, `then the budget: ${asked.join(', ')}`);
  assert.equal(asked.filter((at) => at > 6.0 && at < 6.4).length, 1, 'one read for one ask');
});

test('memory that falls back and climbs again below its peak brings no PSS read past the budget; a new peak does', (t) => {
  // Workers reading parts: a climb from 100 to 130 MiB and a drop back, every 2.5 s; a new peak of 200 MiB at 8 s.
  const swinging = (ms: number) => (ms < 8_000 ? 100 + 30 * ((ms % 2500) / 2500) : 200);
  // A read asked for at the bottom of a swing (5 s, 100 MiB): the climb after it stays below the 130 MiB seen before.
  const reads = readsAt(run(t, swinging, 10_000, 4_950));
  assert.ok(reads.includes(5), `the asked read at 5 s: ${reads.join(', ')}`);
  assert.deepEqual(reads.filter((at) => at > 5 && at < 7), [], `no read for the climb back to 130 MiB: ${reads.join(', ')}`);
  assert.ok(reads.some((at) => at >= 8 && at <= 9.2), `the new peak at 8 s is read: ${reads.join(', ')}`);
});

test('new processes after a fall start from the last read: their climb 5% past it brings a PSS read, though below the old peak', (t) => {
  // One worker climbs to 300 MiB and is read there; it ends at 3 s (100 MiB), a new one starts at 4 s and climbs to
  // 200 MiB: below the first peak, but the memory of other processes.
  const usage = (ms: number) => (ms < 3_000 ? 100 + ms / 15 : ms < 4_000 ? 100 : 100 + (ms - 4_000) / 20);
  const pids = (ms: number) => (ms < 3_000 ? [1, 2] : ms < 4_000 ? [1] : [1, 3]);
  const reads = readsAt(run(t, usage, 9_000, 3_450, pids));
  assert.ok(reads.includes(3.6), `the asked read at the bottom, 3.6 s: ${reads.join(', ')}`);
  assert.ok(reads.some((at) => at > 4.6 && at < 7), `the new worker's climb is read: ${reads.join(', ')}`);
});

test("the sampler's CPU is what its ticks take, not what the process does between them", (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const clock = new FakeClock();
  const cpuUs = () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  };
  // Burns this much CPU time (not wall time: a busy machine must not shorten it).
  const spin = (ms: number) => {
    const until = cpuUs() + ms * 1000;
    while (cpuUs() < until);
  };
  let ticks = 0;
  const sampler = new Sampler({
    intervalMs: 200,
    nearCapIntervalMs: 50,
    clock,
    listProcesses: () => [{ pid: 1, role: 'supervisor', workerId: null, batchId: null, fileIndex: null, page: null }],
    readProcess: () => {
      spin(2); // each tick: 2 ms of CPU
      return { memory: { name: 'node', pid: 1, ppid: 0, rssBytes: MIB, vmsBytes: MIB, hwmBytes: MIB, anonBytes: MIB }, share: null, argv: null };
    },
    readCgroup: () => null,
    onSample: () => {
      ticks += 1;
    },
    onError: (error) => assert.fail(String(error)),
  });
  const before = cpuUs();
  sampler.start();
  for (let ms = 0; ms < 2_000; ms += 10) {
    spin(1); // between ticks: 1 ms of CPU every 10 ms, 200 ms in all
    clock.nowMs += 10;
    t.mock.timers.tick(10);
  }
  sampler.stop();
  const total = cpuUs() - before;
  assert.ok(ticks >= 9, `${ticks} ticks`);
  assert.ok(sampler.tickCpuUs >= ticks * 1_800, `${sampler.tickCpuUs} µs over ${ticks} ticks of 2 ms`);
  assert.ok(sampler.tickCpuUs < total - 150_000, `${sampler.tickCpuUs} µs of ticks, ${total} µs in all: the 200 ms between ticks not counted`);
});
