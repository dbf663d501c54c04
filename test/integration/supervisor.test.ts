// The in-container supervisor: the curve up to the kill, the kinds of death told apart, and the sampling clock.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { onlyRunDir, readJson, runCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';
import { percentile, readMemoryLog } from '../helpers/memory-log.js';
import { RUN_IN_DOCKER_BIN, fixture } from '../helpers/paths.js';

test('growth of 10 MB every 50 ms past 256m: rows up to the kill, cgroup-oom, the supervisor outlives its worker', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli(['probe', '256m', '--step-mb', '10', '--step-ms', '50', '--json', '--out', out]);
  assert.equal(result.exitCode, 3, result.stderr);
  const runDir = onlyRunDir(out);
  const summary = readJson(join(runDir, 'container', 'summary.json'));
  assert.equal(summary.verdict, 'cgroup-oom');
  assert.equal(summary.state, 'finished', 'the supervisor survived to write its final summary');
  const worker = summary.workers[0];
  assert.equal(worker.oom_killed, true);

  const rows = readMemoryLog(join(runDir, 'container', 'memory_log.csv'));
  const workerRows = rows.filter((row) => row.role === 'worker');
  const lastWorkerRow = Date.parse(workerRows.at(-1)!.timestamp!);
  const killedAt = Date.parse(worker.ended_at);
  const gapMs = killedAt - lastWorkerRow;
  t.diagnostic(`last worker row ${gapMs} ms before the kill was recorded`);
  assert.ok(gapMs >= 0 && gapMs <= 500, `last worker row ${gapMs} ms before the kill`);
  const supervisorAfter = rows.filter((row) => row.role === 'supervisor' && Date.parse(row.timestamp!) >= killedAt);
  assert.ok(supervisorAfter.length >= 1, 'the supervisor kept sampling after the worker died');

  const sampledPeak = Math.max(...rows.map((row) => Number(row.cgroup_usage_mb)));
  const reference = summary.kernel_peak_mb ?? summary.cap_mb;
  t.diagnostic(`sampled cgroup peak ${sampledPeak} MiB, kernel high-water mark ${reference} MiB (${((sampledPeak / reference) * 100).toFixed(1)}%)`);
  assert.ok(sampledPeak >= 0.9 * reference, `sampled ${sampledPeak} MiB against ${reference} MiB`);
});

test('a worker that exceeds its V8 heap before the cap ends heap-oom, exit 3, with no kernel OOM kill', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli(['probe', '256m', '--memory', 'heap', '--step-mb', '5', '--step-ms', '20', '--json', '--out', out]);
  assert.equal(result.exitCode, 3, result.stderr);
  assert.equal(JSON.parse(result.stdout).verdict, 'heap-oom');
  const summary = readJson(join(onlyRunDir(out), 'container', 'summary.json'));
  assert.equal(summary.worker_heap_mb, 144, 'auto heap sizing: 75% of (256 - 64) MiB');
  assert.equal(summary.workers[0].signal, 'SIGABRT');
  assert.equal(summary.workers[0].heap_oom, true);
  assert.match(summary.workers[0].error, /heap out of memory/);
  assert.equal(summary.kernel.oom_kills_after, summary.kernel.oom_kills_before);
});

test('a hung worker is ended by the timeout: SIGTERM when it listens, SIGKILL when it does not', async (t) => {
  if (!(await engineOrSkip(t))) return;
  for (const [ending, expected] of [['hang', 'SIGTERM'], ['hang-ignoring-sigterm', 'SIGKILL']] as const) {
    const out = tempOutDir();
    const result = await runCli(['probe', '256m', '--target-mb', '5', '--ending', ending, '--worker-timeout-ms', '1500', '--kill-grace-ms', '1000', '--json', '--out', out]);
    assert.equal(result.exitCode, 4, `${ending}: ${result.stderr}`);
    assert.equal(JSON.parse(result.stdout).verdict, 'timeout');
    const worker = readJson(join(onlyRunDir(out), 'container', 'summary.json')).workers[0];
    assert.equal(worker.timed_out, true);
    assert.equal(worker.terminated_by, expected, ending);
    assert.equal(worker.signal, expected);
  }
});

test('the sampler keeps its 200 ms schedule over a 10 s run', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli(['probe', '512m', '--target-mb', '20', '--hold-ms', '10000', '--json', '--out', out]);
  assert.equal(result.exitCode, 0, result.stderr);
  const rows = readMemoryLog(join(onlyRunDir(out), 'container', 'memory_log.csv')).filter((row) => row.role === 'supervisor');
  const elapsed = rows.map((row) => Number(row.elapsed_ms));
  const intervals = elapsed.slice(1, -1).map((value, i) => value - elapsed[i]!);
  const median = percentile(intervals, 50);
  const p99 = percentile(intervals, 99);
  const drift = elapsed.at(-2)! - 200 * Math.round(elapsed.at(-2)! / 200);
  const figures = `${intervals.length} intervals: median ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, last tick ${drift.toFixed(1)} ms off its slot`;
  t.diagnostic(figures);
  console.log(`sampling interval check: ${figures}`);
  assert.ok(intervals.length >= 45, figures);
  assert.ok(Math.abs(median - 200) <= 5, figures);
  assert.ok(Math.abs(drift) <= 20, `no cumulative drift: ${figures}`);
});

test('an ingest run is watched from the supervisor\'s first moment: its first worker, started before the supervisor loaded, is the one that does the work', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const out = tempOutDir();
  const result = await runCli([fixture('pdf', 'sample-3p.pdf'), '512m', '--json', '--out', out], RUN_IN_DOCKER_BIN);
  assert.equal(result.exitCode, 0, result.stderr);
  const runDir = onlyRunDir(out);
  const summary = readJson(join(runDir, 'container', 'summary.json'));
  const rows = readMemoryLog(join(runDir, 'container', 'memory_log.csv'));
  const first = rows.filter((row) => row.tick === '0');
  assert.deepEqual(first.map((row) => row.role).sort(), ['supervisor', 'worker'], 'the first sample already has the worker');
  assert.ok(Number(first[0]!.elapsed_ms) < 100, `the first sample ${first[0]!.elapsed_ms} ms after the supervisor started`);
  const earlyPid = Number(first.find((row) => row.role === 'worker')!.pid);
  assert.equal(summary.workers.length, 1, 'one worker for three pages: the early one was taken over, not replaced');
  assert.equal(summary.workers[0].pid, earlyPid);
  assert.equal(summary.workers[0].exit_code, 0);
  assert.equal(summary.progress.done, 3);
  const ticks = rows.filter((row) => row.role === 'supervisor').map((row) => Number(row.tick));
  assert.deepEqual(ticks, ticks.map((_, i) => i), 'each tick once, in order, across the takeover');
  assert.equal(summary.sample_count, ticks.length);
});
