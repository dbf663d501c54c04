import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workerExit } from '../helpers/records.js';
import type { Summary, WorkerExit } from '../../harness/run-files/summary.js';
import { exitCodeForVerdict } from '../../harness/common/verdict.js';
import { classifyContainer } from '../../harness/outcome/classify-container.js';
import { classifyWorkers, isHeapOom } from '../../harness/outcome/classify-workers.js';

const worker = (overrides: Partial<WorkerExit>): WorkerExit => workerExit(overrides);

const HEAP_OOM_STDERR = `<--- Last few GCs --->
[18:0x6e8f000]     1612 ms: Mark-Compact 116.4 (133.5) -> 116.2 (133.7) MB, 80.3 / 0.0 ms  (average mu = 0.203) allocation failure; scavenge might not succeed
FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`;

test('worker verdicts, most telling first', () => {
  assert.equal(classifyWorkers([worker({})], null).verdict, 'completed');
  assert.equal(classifyWorkers([worker({ signal: 'SIGKILL', exit_code: null, oom_killed: true })], null).verdict, 'cgroup-oom');
  assert.equal(classifyWorkers([worker({ signal: 'SIGABRT', exit_code: null, heap_oom: true })], null).verdict, 'heap-oom');
  assert.equal(classifyWorkers([worker({ signal: 'SIGTERM', exit_code: null, timed_out: true, terminated_by: 'SIGTERM' })], null).verdict, 'timeout');
  assert.equal(classifyWorkers([worker({ signal: 'SIGKILL', exit_code: null })], null).verdict, 'killed-not-oom');
  assert.equal(classifyWorkers([worker({ exit_code: 1, error: 'boom' })], null).verdict, 'crashed');
  assert.equal(classifyWorkers([worker({ signal: 'SIGKILL', oom_killed: true })], 'SIGTERM').verdict, 'interrupted');
  const mixed = classifyWorkers([worker({}), worker({ worker_id: 2, signal: 'SIGKILL', oom_killed: true })], null);
  assert.equal(mixed.verdict, 'cgroup-oom');
  assert.match(mixed.reason, /worker 2/);
});

test('heap OOM needs both the abort and V8 saying so', () => {
  assert.equal(isHeapOom({ exitCode: null, signal: 'SIGABRT', stderrTail: HEAP_OOM_STDERR }), true);
  assert.equal(isHeapOom({ exitCode: 134, signal: null, stderrTail: HEAP_OOM_STDERR }), true);
  assert.equal(isHeapOom({ exitCode: null, signal: 'SIGABRT', stderrTail: 'Assertion failed' }), false);
  assert.equal(isHeapOom({ exitCode: 1, signal: null, stderrTail: HEAP_OOM_STDERR }), false);
});

test('exit codes follow the documented table', () => {
  assert.equal(exitCodeForVerdict('completed'), 0);
  assert.equal(exitCodeForVerdict('cgroup-oom'), 3);
  assert.equal(exitCodeForVerdict('heap-oom'), 3);
  assert.equal(exitCodeForVerdict('killed-not-oom'), 4);
  assert.equal(exitCodeForVerdict('timeout'), 4);
  assert.equal(exitCodeForVerdict('crashed'), 4);
  assert.equal(exitCodeForVerdict('engine-error'), 5);
  assert.equal(exitCodeForVerdict('interrupted'), 130);
});

function finishedSummary(verdict: Summary['verdict']): Summary {
  return { state: 'finished', verdict, verdict_reason: `reason for ${verdict}` } as unknown as Summary;
}

test('container verdict: exit 137 alone is not an OOM', () => {
  const end = { exitCode: 137, oomKilledByEngine: false, cgroupOomKills: 0 };
  assert.equal(classifyContainer({ summary: null, end, interruptedBy: null, engineError: null }).verdict, 'killed-not-oom');
  const withOom = { exitCode: 137, oomKilledByEngine: true, cgroupOomKills: null };
  assert.equal(classifyContainer({ summary: null, end: withOom, interruptedBy: null, engineError: null }).verdict, 'cgroup-oom');
  const withCounter = { exitCode: 137, oomKilledByEngine: false, cgroupOomKills: 2 };
  assert.equal(classifyContainer({ summary: null, end: withCounter, interruptedBy: null, engineError: null }).verdict, 'cgroup-oom');
});

test('container verdict: the supervisor summary wins unless the kernel saw an OOM it missed', () => {
  const clean = { exitCode: 4, oomKilledByEngine: false, cgroupOomKills: 0 };
  assert.equal(classifyContainer({ summary: finishedSummary('timeout'), end: clean, interruptedBy: null, engineError: null }).verdict, 'timeout');
  const oom = { exitCode: 0, oomKilledByEngine: true, cgroupOomKills: 1 };
  assert.equal(classifyContainer({ summary: finishedSummary('completed'), end: oom, interruptedBy: null, engineError: null }).verdict, 'cgroup-oom');
  assert.equal(classifyContainer({ summary: finishedSummary('heap-oom'), end: oom, interruptedBy: null, engineError: null }).verdict, 'heap-oom');
});

test('container verdict: interrupts and engine errors', () => {
  const end = { exitCode: 130, oomKilledByEngine: false, cgroupOomKills: 0 };
  assert.equal(classifyContainer({ summary: null, end, interruptedBy: 'SIGINT', engineError: null }).verdict, 'interrupted');
  assert.equal(classifyContainer({ summary: null, end: null, interruptedBy: null, engineError: 'socket hang up' }).verdict, 'engine-error');
  assert.equal(classifyContainer({ summary: null, end: { ...end, exitCode: 1 }, interruptedBy: null, engineError: null }).verdict, 'crashed');
});

test('container verdict: a summary that disagrees with the engine\'s exit code is not believed', () => {
  const killed = { exitCode: 137, oomKilledByEngine: false, cgroupOomKills: 0 };
  const forged = classifyContainer({ summary: finishedSummary('completed'), end: killed, interruptedBy: null, engineError: null });
  assert.equal(forged.verdict, 'killed-not-oom');
  assert.match(forged.reason, /the supervisor's summary says completed, but the container exited 137/);
  const crashed = classifyContainer({ summary: finishedSummary('completed'), end: { ...killed, exitCode: 1 }, interruptedBy: null, engineError: null });
  assert.equal(crashed.verdict, 'crashed');
});
