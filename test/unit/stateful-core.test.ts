// The stateful core through its seams: the sampler and the summary on a fake clock and fake readers, the ingest
// coordinator on a fake supervisor, and the CLI's main() in-process.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ingestSpec, workerExit } from '../helpers/records.js';
import type { Clock } from '../../harness/common/clock.js';
import type { SupervisorMessage, WorkerMessage } from '../../harness/common/worker-messages.js';
import type { CgroupMemorySnapshot } from '../../harness/kernel/cgroup-memory.js';
import type { ProcessShare } from '../../harness/kernel/proc-smaps.js';
import type { ProcessMemory } from '../../harness/kernel/proc-status.js';
import type { RunConfig } from '../../harness/run-files/run-config.js';
import type { TickSample } from '../../harness/run-files/memory-log.js';
import { SummarySchema, type WorkerExit } from '../../harness/run-files/summary.js';
import { Sampler } from '../../harness/supervisor/sampler.js';
import { SummaryTracker } from '../../harness/supervisor/summary-tracker.js';
import { VictimFinder } from '../../harness/supervisor/victims.js';
import { IngestCoordinator } from '../../harness/workloads/ingest/coordinator.js';
import type { ManagedWorker, WorkloadContext } from '../../harness/workloads/contract/workload.js';
import { main } from '../../harness/cli/main.js';
import { oomHarnessProgram } from '../../harness/cli/commands/program.js';
import { runInDockerProgram } from '../../harness/cli/commands/run-command.js';
import type { CliIo } from '../../harness/cli/cli-io.js';
import { tempOutDir } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { FakeClock } from '../helpers/fake-clock.js';

const MIB = 1024 * 1024;


function memory(rssMb: number): ProcessMemory {
  return { name: 'node', pid: 1, ppid: 0, rssBytes: rssMb * MIB, vmsBytes: rssMb * 4 * MIB, hwmBytes: rssMb * MIB, anonBytes: (rssMb / 2) * MIB };
}

function share(anonMb: number, fileMb: number): ProcessShare {
  return { pssBytes: (anonMb + fileMb) * MIB, pssAnonBytes: anonMb * MIB, pssFileBytes: fileMb * MIB };
}

function cgroup(usageMb: number, limitMb = 256, oomKills = 0): CgroupMemorySnapshot {
  return {
    version: 1,
    usageBytes: usageMb * MIB,
    peakBytes: usageMb * MIB,
    peakSource: 'memory.max_usage_in_bytes',
    limitBytes: limitMb * MIB,
    oomEvents: null,
    oomKills,
    failcnt: 0,
    underOom: false,
    anonBytes: null,
    fileBytes: null,
  };
}

test('the sampler ticks on a fixed grid, looks closer near the cap, and drops ticks it is too late for', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const clock = new FakeClock();
  let usageMb = 10;
  const samples: TickSample[] = [];
  const sampler = new Sampler({
    intervalMs: 200,
    nearCapIntervalMs: 50,
    clock,
    listProcesses: () => [
      { pid: 1, role: 'supervisor', workerId: null, batchId: null, fileIndex: null, page: null },
      { pid: 2, role: 'worker', workerId: 1, batchId: 3, fileIndex: 0, page: 7 },
    ],
    readProcess: (pid) => ({ memory: pid === 2 ? memory(100) : memory(40), share: null, argv: null }),
    readCgroup: () => cgroup(usageMb),
    onSample: (sample) => samples.push(sample),
    onError: (error) => assert.fail(String(error)),
  });
  const advance = (ms: number) => {
    for (let i = 0; i < ms; i += 10) {
      clock.nowMs += 10;
      t.mock.timers.tick(10);
    }
  };
  sampler.start();
  advance(1000);
  assert.deepEqual(
    samples.map((s) => s.scheduledMs),
    [0, 200, 400, 600, 800, 1000],
  );
  assert.equal(samples[1]!.processes.length, 2);
  assert.equal(samples[1]!.processes[1]!.batchId, 3);
  usageMb = 240; // within 15% of the 256 MiB limit: once a tick sees it, the grid narrows to 50 ms
  samples.length = 0;
  advance(400);
  assert.deepEqual(
    samples.map((s) => s.scheduledMs),
    [1200, 1250, 1300, 1350, 1400],
  );
  usageMb = 10;
  advance(200);
  samples.length = 0;
  // The event loop was blocked for 700 ms: the ticks due meanwhile are dropped, not run late in a burst.
  clock.nowMs += 700;
  advance(200);
  assert.ok(sampler.skippedTicks >= 2, `skipped ${sampler.skippedTicks}`);
  assert.ok(samples.length <= 2, `no burst of late ticks (${samples.length})`);
  sampler.stop();
});

const exit = (overrides: Partial<WorkerExit>): WorkerExit => workerExit(overrides);

const CONFIG: RunConfig = {
  schema: 'oom-harness/run-config@1',
  run_id: 'r1',
  cap_bytes: 256 * MIB,
  sample_interval_ms: 200,
  near_cap_sample_interval_ms: 50,
  workers: 1,
  workers_auto: false,
  workers_bound: null,
  worker_timeout_ms: 60_000,
  kill_grace_ms: 1000,
  on_worker_death: 'stop',
  worker_heap_mb: 144,
  record_argv: true,
  workload: { kind: 'synthetic' },
};

test('the summary keeps peaks, per-worker peaks and the kernel figures, and says the verdict once finished', () => {
  const clock = new FakeClock();
  const tracker = new SummaryTracker(CONFIG, clock.wallMs(), { version: 1, dir: '/sys/fs/cgroup/memory' }, cgroup(20));
  const sample = (tick: number, workerMb: number, usageMb: number): TickSample => ({
    tick,
    scheduledMs: tick * 200,
    elapsedMs: tick * 200,
    wallMs: clock.wallMs() + tick * 200,
    shareRead: true,
    processes: [
      { pid: 1, role: 'supervisor', workerId: null, batchId: null, fileIndex: null, page: null, memory: memory(40), share: share(30, 10), argv: 'node supervisor' },
      { pid: 2, role: 'worker', workerId: 1, batchId: null, fileIndex: 0, page: tick + 1, memory: memory(workerMb), share: share(workerMb - 30, 12), argv: 'node worker' },
    ],
    cgroup: cgroup(usageMb, 256, tick === 2 ? 1 : 0),
  });
  tracker.record(sample(0, 50, 60));
  tracker.record(sample(1, 200, 230));
  tracker.record(sample(2, 120, 150));
  const running = tracker.render('running', clock.wallMs() + 500, 3000);
  assert.equal(running.sampler_cpu_share, null, 'no share over less than a second of sampling');
  assert.equal(running.verdict, null, 'no verdict while running');
  assert.equal(running.peak_rss_mb, 240);
  assert.equal(running.peak_rss_at_ms, 200);
  assert.equal(running.peak_process_rss_mb, 200);
  assert.deepEqual(running.peak_process, { pid: 2, role: 'worker', worker_id: 1 });
  assert.equal(running.sampled_cgroup_peak_mb, 230);
  assert.equal(running.current_rss_mb, 160);
  // PSS adds up: at tick 1 the supervisor holds 30 + 10 and the worker 170 + 12.
  assert.equal(running.peak_pss_mb, 222);
  assert.equal(running.peak_pss_anon_mb, 200);
  assert.equal(running.peak_pss_file_mb, 22);
  assert.equal(running.supervisor_pss_mb, 40);
  assert.equal(running.peak_pss_at_ms, 200);
  assert.equal(running.peak_process_vms_mb, 800);
  assert.equal(running.pss_note, null);
  assert.deepEqual(tracker.workerPeak(1), { rssMb: 200, hwmMb: 200 });
  assert.equal(running.kernel.oom_kills_before, 0);
  assert.equal(running.kernel.oom_kills_after, 1);
  tracker.recordWorkerExit(exit({ signal: 'SIGKILL', exit_code: null, oom_killed: true }));
  tracker.record(sample(10, 120, 150));
  const finished = tracker.render('finished', clock.wallMs() + 2100, 30_000);
  assert.equal(finished.sampler_cpu_share, 0.015, "30 ms of ticks over the 2 s from the first sample to the last");
  assert.equal(finished.verdict, 'cgroup-oom');
  assert.match(finished.verdict_reason!, /worker 1 \(pid 10\) was killed by the kernel's OOM killer/);
  assert.equal(finished.duration_ms, 2100);
  // A summary from before supervisor_cpu_share existed still reads, with it null.
  const { supervisor_cpu_share: _dropped, ...older } = finished;
  assert.equal(SummarySchema.parse(older).supervisor_cpu_share, null);
  assert.equal(SummarySchema.parse(finished).supervisor_cpu_share, finished.supervisor_cpu_share);
});

interface ScriptedWorker {
  id: number;
  plan: boolean;
  warm: number | null;
  inbox: SupervisorMessage[];
  say: (message: WorkerMessage) => void;
  end: (exit: Partial<WorkerExit>) => void;
}

/** A supervisor that starts no process: each spawned worker is driven by the test. */
function fakeContext(outDir: string, clock: Clock, workerCount = 1, auto = false) {
  const workers: ScriptedWorker[] = [];
  const exits: WorkerExit[] = [];
  const batches: Array<[number, number | null]> = [];
  const progressSeen: Array<{ unit: string; done: number; total: number | null }> = [];
  const context: WorkloadContext = {
    config: { ...CONFIG, workers: workerCount, workers_auto: auto },
    outDir,
    clock,
    spawnWorker: (argsFor, onMessage) => {
      const id = workers.length + 1;
      const role = JSON.parse(argsFor(id)[0]!) as { plan: boolean; warm: number | null };
      let resolveExit: (exit: WorkerExit) => void = () => undefined;
      const managed: ManagedWorker = {
        id,
        pid: 100 + id,
        send: (message) => scripted.inbox.push(message),
        result: new Promise<WorkerExit>((resolve) => {
          resolveExit = resolve;
        }),
      };
      const scripted: ScriptedWorker = {
        id,
        plan: role.plan,
        warm: role.warm,
        inbox: [],
        say: (message) => onMessage(message, managed),
        end: (overrides) => {
          const record = exit({ worker_id: id, pid: 100 + id, ...overrides });
          exits.push(record);
          resolveExit(record);
        },
      };
      workers.push(scripted);
      return managed;
    },
    spawnCommand: () => assert.fail('the ingest runs no command'),
    stopReason: () => null,
    interruptedBy: () => null,
    workerExits: () => exits,
    recordInputError: () => undefined,
    setBatch: (workerId, batchId) => batches.push([workerId, batchId]),
    setPosition: () => undefined,
    reportProgress: (progress) => progressSeen.push(progress),
    recordPhase: () => undefined,
    countBatch: () => undefined,
  };
  return { context, workers, batches, progressSeen };
}

const SPEC = ingestSpec();

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** What the coordinator wrote to ingest_manifest.json, as JSON. */
const readIngestManifestJson = (outDir: string) => JSON.parse(readFileSync(join(outDir, 'ingest_manifest.json'), 'utf8'));

test('a warm spare starts as a worker takes its last range, waits parked, and takes the next range once it ends', async () => {
  const outDir = tempOutDir();
  const { context, workers } = fakeContext(outDir, new FakeClock());
  const done = new IngestCoordinator(context, { ...SPEC, pages_per_worker: 100 }).run();
  const planner = workers[0]!;
  planner.say({ type: 'page-count', file_index: 0, pages: 150 });
  planner.say({ type: 'ready' });
  assert.deepEqual(planner.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 1, last_page: 50 } });
  assert.equal(workers.length, 1, 'no spare before the last range');
  planner.say({ type: 'batch-end', seq: 1, status: 'flushed', attempts: 1, error: null, duration_ms: 3, rss_mb: 60 });
  planner.say({ type: 'range-done', range: { file_index: 0, first_page: 1, last_page: 50 }, pages: 50 });
  planner.say({ type: 'ready' });
  assert.deepEqual(planner.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 51, last_page: 100 } });
  const spare = workers[1]!;
  assert.ok(spare, 'the last range started a spare');
  assert.equal(spare.plan, false);
  assert.equal(spare.warm, 0, 'told which input to open');
  spare.say({ type: 'ready' });
  await settle();
  assert.deepEqual(spare.inbox, [], 'parked while the one worker place is taken');
  planner.say({ type: 'range-done', range: { file_index: 0, first_page: 51, last_page: 100 }, pages: 50 });
  planner.say({ type: 'retiring', reason: 'pages', rss_mb: 60 });
  planner.end({});
  await settle();
  assert.deepEqual(spare.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 101, last_page: 150 } });
  assert.equal(workers.length, 2, 'the spare took the place: no other worker started');
  spare.say({ type: 'range-done', range: { file_index: 0, first_page: 101, last_page: 150 }, pages: 50 });
  spare.say({ type: 'ready' });
  assert.deepEqual(spare.inbox.shift(), { type: 'no-more-work' });
  spare.end({});
  await done;
  const manifest = readIngestManifestJson(outDir);
  assert.equal(manifest.pages_done, 150);
  assert.equal(manifest.workers_started, 2);
});

test('with --workers 3 all three start at once; those ready before the plan wait for it, then take ranges after the planner', async () => {
  const { context, workers } = fakeContext(tempOutDir(), new FakeClock(), 3);
  const done = new IngestCoordinator(context, SPEC).run();
  assert.deepEqual(workers.map((worker) => worker.plan), [true, false, false], 'one planner and two others, started together');
  const [planner, second, third] = workers as [ScriptedWorker, ScriptedWorker, ScriptedWorker];
  second.say({ type: 'ready' });
  await settle();
  assert.deepEqual(second.inbox, [], 'no range before the plan');
  planner.say({ type: 'page-count', file_index: 0, pages: 120 });
  planner.say({ type: 'ready' });
  assert.deepEqual(planner.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 1, last_page: 50 } });
  assert.deepEqual(second.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 51, last_page: 100 } });
  third.say({ type: 'ready' });
  assert.deepEqual(third.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 101, last_page: 120 } });
  assert.equal(workers.length, 3, 'no worker started beyond --workers');
  for (const worker of [planner, second, third]) {
    worker.say({ type: 'ready' });
    assert.deepEqual(worker.inbox.shift(), { type: 'no-more-work' });
    worker.end({});
  }
  await done;
});

test('a worker that falls back to reading an input whole mid-run has ingest_manifest.json say so under read_as', async () => {
  const outDir = tempOutDir();
  const { context, workers } = fakeContext(outDir, new FakeClock());
  const done = new IngestCoordinator(context, SPEC).run();
  const planner = workers[0]!;
  planner.say({ type: 'page-count', file_index: 0, pages: 20, read_as: 'in parts of 10 pages' });
  planner.say({ type: 'ready' });
  planner.inbox.shift();
  planner.say({ type: 'read-as', file_index: 0, read_as: 'in parts of 10 pages, then whole from page 11: no /Root' });
  planner.say({ type: 'range-done', range: { file_index: 0, first_page: 1, last_page: 20 }, pages: 20 });
  planner.say({ type: 'ready' });
  assert.deepEqual(planner.inbox.shift(), { type: 'no-more-work' });
  planner.end({});
  await done;
  const manifest = readIngestManifestJson(outDir);
  assert.equal(manifest.inputs[0].read_as, 'in parts of 10 pages, then whole from page 11: no /Root');
});

test('a planner that ends before it has planned ends the run: the workers waiting for the plan, and those ready later, are told to end', async () => {
  const { context, workers } = fakeContext(tempOutDir(), new FakeClock(), 3);
  const done = new IngestCoordinator(context, SPEC).run();
  const [planner, second, third] = workers as [ScriptedWorker, ScriptedWorker, ScriptedWorker];
  second.say({ type: 'ready' });
  planner.end({ exit_code: 1 });
  await settle();
  assert.deepEqual(second.inbox, [{ type: 'no-more-work' }]);
  third.say({ type: 'ready' });
  assert.deepEqual(third.inbox, [{ type: 'no-more-work' }]);
  second.end({});
  third.end({});
  await done;
  assert.equal(workers.length, 3, 'no worker started in the planner\'s place');
});

test('a worker within 10% of --worker-rss-limit gets a warm spare before it retires on RSS', async () => {
  const { context, workers } = fakeContext(tempOutDir(), new FakeClock());
  const done = new IngestCoordinator(context, { ...SPEC, pages_per_worker: 1000, worker_rss_limit_mb: 60 }).run();
  const planner = workers[0]!;
  plan(planner, 150);
  planner.say({ type: 'batch-end', seq: 1, status: 'flushed', attempts: 1, error: null, duration_ms: 3, rss_mb: 58 });
  planner.say({ type: 'range-done', range: { file_index: 0, first_page: 1, last_page: 50 }, pages: 50 });
  planner.say({ type: 'ready' });
  assert.deepEqual(planner.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 51, last_page: 100 } });
  assert.equal(workers.length, 2, 'a spare, though 100 pages is far from --pages-per-worker');
  const spare = workers[1]!;
  assert.equal(spare.warm, 0);
  spare.say({ type: 'ready' });
  planner.say({ type: 'range-done', range: { file_index: 0, first_page: 51, last_page: 100 }, pages: 50 });
  planner.say({ type: 'retiring', reason: 'rss', rss_mb: 61 });
  planner.end({});
  await settle();
  assert.deepEqual(spare.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 101, last_page: 150 } });
  spare.say({ type: 'range-done', range: { file_index: 0, first_page: 101, last_page: 150 }, pages: 50 });
  spare.say({ type: 'ready' });
  spare.end({});
  await done;
});

test('no warm spare when one more worker of that size would not fit in half the cap', async () => {
  const { context, workers } = fakeContext(tempOutDir(), new FakeClock());
  const done = new IngestCoordinator(context, { ...SPEC, pages_per_worker: 100 }).run();
  const planner = workers[0]!;
  plan(planner, 150);
  // Two workers of 70 MiB are more than half of the 256 MiB cap.
  planner.say({ type: 'batch-end', seq: 1, status: 'flushed', attempts: 1, error: null, duration_ms: 3, rss_mb: 70 });
  planner.say({ type: 'range-done', range: { file_index: 0, first_page: 1, last_page: 50 }, pages: 50 });
  planner.say({ type: 'ready' });
  assert.deepEqual(planner.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 51, last_page: 100 } });
  assert.equal(workers.length, 1);
  planner.say({ type: 'range-done', range: { file_index: 0, first_page: 51, last_page: 100 }, pages: 50 });
  planner.end({});
  await settle();
  const fresh = workers[1]!;
  assert.equal(fresh.warm, null, 'a fresh worker after the exit, not a spare');
  fresh.say({ type: 'ready' });
  assert.deepEqual(fresh.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 101, last_page: 150 } });
  fresh.say({ type: 'range-done', range: { file_index: 0, first_page: 101, last_page: 150 }, pages: 50 });
  fresh.say({ type: 'ready' });
  fresh.end({});
  await done;
});

test('the ingest coordinator hands out page ranges in order and records a death with the range and batch it held', async () => {
  const outDir = tempOutDir();
  const { context, workers, batches, progressSeen } = fakeContext(outDir, new FakeClock());
  const done = new IngestCoordinator(context, SPEC).run();
  const planner = workers[0]!;
  assert.equal(planner.plan, true);
  planner.say({ type: 'page-count', file_index: 0, pages: 120 });
  planner.say({ type: 'ready' });
  assert.deepEqual(planner.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 1, last_page: 50 } });
  planner.say({ type: 'batch-start', seq: 1, spans: [{ file_index: 0, first_page: 1, last_page: 10 }], items: 10, bytes: 900, trigger: 'count', oversized_item: false });
  planner.say({ type: 'batch-end', seq: 1, status: 'flushed', attempts: 1, error: null, duration_ms: 3, rss_mb: 90 });
  planner.say({ type: 'range-done', range: { file_index: 0, first_page: 1, last_page: 50 }, pages: 50 });
  planner.say({ type: 'ready' });
  assert.deepEqual(planner.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 51, last_page: 100 } });
  for (let page = 51; page <= 64; page += 1) planner.say({ type: 'page', file_index: 0, page });
  planner.say({ type: 'batch-start', seq: 2, spans: [{ file_index: 0, first_page: 51, last_page: 60 }], items: 10, bytes: 950, trigger: 'count', oversized_item: false });
  planner.end({ signal: 'SIGKILL', exit_code: null, oom_killed: true });
  await settle();
  // on_worker_death is "stop" in a real run; here the coordinator replaces the worker and finishes the pages.
  const second = workers[1]!;
  second.say({ type: 'ready' });
  assert.deepEqual(second.inbox.shift(), { type: 'range', range: { file_index: 0, first_page: 101, last_page: 120 } });
  second.say({ type: 'range-done', range: { file_index: 0, first_page: 101, last_page: 120 }, pages: 20 });
  second.say({ type: 'ready' });
  assert.deepEqual(second.inbox.shift(), { type: 'no-more-work' });
  second.end({});
  await done;
  const manifest = readIngestManifestJson(outDir);
  assert.equal(manifest.status, 'oom');
  assert.equal(manifest.total_pages, 120);
  // 50 + the 13 pages of 51-100 finished before it died on page 64 + 20.
  assert.equal(manifest.pages_done, 83);
  assert.ok(manifest.pages_done >= manifest.pages_flushed);
  assert.deepEqual(manifest.culprit, {
    worker_id: 1,
    file: 'doc.pdf',
    file_index: 0,
    range: { first_page: 51, last_page: 100 },
    page: 64,
    pages_extracted_in_range: 13,
    assembling: { first_page: 61, last_page: 63, items: 3 },
    batch_in_flight_id: 2,
  });
  assert.deepEqual(progressSeen.at(-1), { unit: 'pages', done: 83, total: 120 });
  assert.equal(manifest.batch_in_flight.id, 2);
  assert.equal(manifest.batch_in_flight.status, 'in_flight_at_death');
  assert.match(manifest.batch_in_flight.error, /was killed by the kernel's OOM killer during this batch/);
  assert.deepEqual(manifest.unfinished_ranges, [{ file_index: 0, first_page: 51, last_page: 100, worker_id: 1, file: 'doc.pdf' }]);
  assert.deepEqual(batches, [
    [1, 1],
    [1, null],
    [1, 2],
  ]);
});

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', stderrIsTty: false, stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) };
  return io;
}

test('the CLI runs in-process: bad input exits 2 with one line, --json carries the error, help and version print', async () => {
  const missing = captureIo();
  assert.equal(await main(runInDockerProgram, ['/nonexistent/x.pdf', '1g', '--out', tempOutDir()], missing), 2);
  assert.equal(missing.err, 'run-in-docker: input /nonexistent/x.pdf does not exist; expected an existing PDF file or directory\n');
  const json = captureIo();
  assert.equal(await main(runInDockerProgram, [fixture('pdf', 'sample-3p.pdf'), '0', '--json'], json), 2);
  assert.deepEqual(JSON.parse(json.out).error.code, 'BAD_OPTION');
  assert.match(json.err, /^run-in-docker: cap: got "0", expected a positive size/);
  const negative = captureIo();
  assert.equal(await main(runInDockerProgram, [fixture('pdf', 'sample-3p.pdf'), '-1g'], negative), 2);
  assert.match(negative.err, /cap: got "-1g"/);
  const help = captureIo();
  assert.equal(await main(oomHarnessProgram, ['report', '--help'], help), 0);
  assert.match(help.out, /--max-unpacked-bytes/);
  const version = captureIo();
  assert.equal(await main(oomHarnessProgram, ['--version'], version), 0);
  assert.match(version.out, /^\d+\.\d+\.\d+\n$/);
});

test('an OOM victim is named even when the kill counter rises a tick before the process is gone', () => {
  const finder = new VictimFinder();
  const proc = (pid: number, comm: string, mb: number) => ({
    pid,
    role: 'child' as const,
    workerId: null,
    batchId: null,
    fileIndex: null,
    page: null,
    memory: { ...memory(mb), pid, name: comm },
    share: null,
    argv: `${comm} job.py`,
  });
  const tick = (tick: number, kills: number, processes: ReturnType<typeof proc>[]): TickSample => ({
    tick,
    scheduledMs: tick * 50,
    elapsedMs: tick * 50,
    wallMs: 1_000_000 + tick * 50,
    shareRead: false,
    processes,
    cgroup: cgroup(200, 256, kills),
  });
  finder.record(tick(0, 0, [proc(19, 'python3', 10), proc(22, 'python3', 200), proc(23, 'python3', 9)]));
  finder.record(tick(1, 1, [proc(19, 'python3', 10), proc(22, 'python3', 250), proc(23, 'python3', 9)]));
  assert.equal(finder.victims.length, 0, 'still there when the counter rose');
  finder.record(tick(2, 1, [proc(19, 'python3', 10), proc(23, 'python3', 9)]));
  assert.deepEqual(finder.victims.map((victim) => [victim.pid, victim.last_rss_mb]), [[22, 250]]);
  finder.record(tick(3, 1, [proc(19, 'python3', 10)]));
  assert.equal(finder.victims.length, 1, 'as many victims as kills counted, no more');
});

/** The planner reads the page counts and takes its first range. */
function plan(planner: ScriptedWorker, pages: number): void {
  planner.say({ type: 'page-count', file_index: 0, pages });
  planner.say({ type: 'ready' });
  planner.inbox.shift();
}

const batchEnd = (rssMb: number): WorkerMessage => ({ type: 'batch-end', seq: 1, status: 'flushed', attempts: 1, error: null, duration_ms: 3, rss_mb: rssMb });

/** Takes ranges until told to end, then ends. */
function drain(worker: ScriptedWorker): void {
  for (;;) {
    worker.say({ type: 'ready' });
    const message = worker.inbox.shift();
    if (!message || message.type === 'no-more-work') return worker.end({});
  }
}

test('--workers auto: the planner starts alone, and the count is sized by the largest RSS reported, not the last', async () => {
  const outDir = tempOutDir();
  // At most 4 (--cpus 4), the container sees 3 CPUs; the cap is 256 MiB, so half of it is 128 MiB.
  const { context, workers } = fakeContext(outDir, new FakeClock(), 4, true);
  const done = new IngestCoordinator(context, SPEC, 3).run();
  assert.equal(workers.length, 1, 'no worker beside the planner before any RSS is known');
  const planner = workers[0]!;
  plan(planner, 400);
  await settle();
  assert.equal(workers.length, 1, 'the plan alone starts no other worker');
  planner.say(batchEnd(100));
  planner.say(batchEnd(40));
  await settle();
  assert.equal(workers.length, 1, 'one worker of 100 MiB fits in 128 MiB, whatever it reports later');
  drain(planner);
  await done;
  const manifest = readIngestManifestJson(outDir);
  assert.equal(manifest.options.workers, 'auto');
  assert.deepEqual(manifest.auto_workers, { limit: 3, now: 1, highest: 1, worker_rss_mb: 100, why: 'half the 256 MiB cap holds 1 worker(s) at 100 MiB each; the run allows 3 (3 CPUs the container sees)' });
  assert.equal(manifest.pages_done, 0, 'no range-done was said');
  assert.equal(manifest.workers_started, 1);
});

test('--workers auto: more start up to the CPUs the container sees; after a worker grows, one that ends is not replaced', async () => {
  const outDir = tempOutDir();
  const { context, workers } = fakeContext(outDir, new FakeClock(), 4, true);
  const done = new IngestCoordinator(context, SPEC, 3).run();
  const planner = workers[0]!;
  plan(planner, 1000);
  // 30 MiB: four fit in 128 MiB, but three CPUs are seen.
  planner.say(batchEnd(30));
  assert.equal(workers.length, 3, 'two more started at once');
  const [, second, third] = workers as [ScriptedWorker, ScriptedWorker, ScriptedWorker];
  for (const worker of [second, third]) {
    worker.say({ type: 'ready' });
    assert.equal(worker.inbox.shift()?.type, 'range');
  }
  // One grows to 60 MiB: two fit. No running worker is stopped; the third retires and is not replaced.
  second.say(batchEnd(60));
  assert.deepEqual(third.inbox, [], 'nothing sent to a running worker');
  third.say({ type: 'retiring', reason: 'pages', rss_mb: 60 });
  third.end({});
  await settle();
  assert.equal(workers.length, 3, 'two are running and two fit: no replacement');
  drain(planner);
  drain(second);
  await done;
  const manifest = readIngestManifestJson(outDir);
  assert.deepEqual(manifest.auto_workers, { limit: 3, now: 2, highest: 3, worker_rss_mb: 60, why: 'half the 256 MiB cap holds 2 worker(s) at 60 MiB each; the run allows 3 (3 CPUs the container sees)' });
});

test('with a fixed --workers count, reported RSS changes nothing', async () => {
  const outDir = tempOutDir();
  const { context, workers } = fakeContext(outDir, new FakeClock(), 1, false);
  const done = new IngestCoordinator(context, SPEC, 8).run();
  const planner = workers[0]!;
  plan(planner, 400);
  planner.say(batchEnd(10));
  await settle();
  assert.equal(workers.length, 1);
  drain(planner);
  await done;
  const manifest = readIngestManifestJson(outDir);
  assert.equal(manifest.options.workers, 1);
  assert.equal(manifest.auto_workers, null);
});

test('--workers auto: a warm spare starts only where the retiring worker\'s place is to be filled again', async () => {
  const spec = { ...SPEC, pages_per_worker: 100 };
  const retireFirst = async (fallFirst: boolean) => {
    const { context, workers } = fakeContext(tempOutDir(), new FakeClock(), 4, true);
    const done = new IngestCoordinator(context, spec, 3).run();
    const planner = workers[0]!;
    plan(planner, 1000);
    planner.say(batchEnd(30));
    for (const worker of workers.slice(1)) {
      worker.say({ type: 'ready' });
      worker.inbox.shift();
    }
    // 60 MiB: half the 256 MiB cap holds two, while three run.
    if (fallFirst) workers[1]!.say(batchEnd(60));
    // The planner's second range of 50 pages brings it to --pages-per-worker: it will retire after it.
    planner.say({ type: 'ready' });
    assert.equal(planner.inbox.shift()?.type, 'range');
    const started = workers.length;
    for (const worker of [...workers]) drain(worker);
    await done;
    return started;
  };
  assert.equal(await retireFirst(false), 4, 'three run, three are allowed, and four of 30 MiB fit in 128 MiB: a spare');
  assert.equal(await retireFirst(true), 3, 'three run and two are allowed: no spare for a place not to be filled');
});
