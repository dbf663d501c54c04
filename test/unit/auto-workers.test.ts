import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { main } from '../../harness/cli/main.js';
import { oomHarnessProgram } from '../../harness/cli/commands/program.js';
import { parseOptions } from '../../harness/options/parse-options.js';
import { RUN_DEFAULTS, runOptionsSchema } from '../../harness/options/run-options.js';
import { autoWorkerLimit, workerHeapMib } from '../../harness/run/heap-size.js';
import { runConfigFor } from '../../harness/run/plan-run.js';
import { RunConfigSchema } from '../../harness/run-files/run-config.js';
import { systemClock } from '../../harness/common/clock.js';
import { IngestManifestSchema } from '../../harness/workloads/ingest/ingest-manifest.js';
import { IngestManifestRecorder } from '../../harness/workloads/ingest/manifest-recorder.js';
import { WorkerTarget } from '../../harness/workloads/ingest/worker-target.js';
import { memoryIo, tempOutDir } from '../helpers/cli.js';
import { ingestSpec } from '../helpers/records.js';

const MIB = 1024 * 1024;

test('--workers takes auto or a count written in plain decimals, and names both when given something else', () => {
  assert.equal(parseOptions(runOptionsSchema(4), { ...RUN_DEFAULTS, capBytes: '1g', workers: 'auto' }).workers, 'auto');
  assert.equal(parseOptions(runOptionsSchema(4), { ...RUN_DEFAULTS, capBytes: '1g', workers: '3' }).workers, 3);
  for (const bad of ['many', '0', '65', '1.5', '1e1', '0x2', ' 2', '', 'AUTO']) {
    assert.throws(() => parseOptions(runOptionsSchema(4), { ...RUN_DEFAULTS, capBytes: '1g', workers: bad }), new RegExp(`--workers: got "${bad.replace('.', '\\.')}", expected "auto" or an integer from 1 to 64`));
  }
});

test('--workers auto may run as many workers as the CPUs, the heaps by the rule and --pids-limit allow, and says which set it', () => {
  const run = (over: Partial<Parameters<typeof autoWorkerLimit>[0]>) => ({ cpus: null, capBytes: 64 * 1024 * MIB, heapByRule: true, pidsLimit: 4096, ...over });
  assert.deepEqual(autoWorkerLimit(run({}), 6), { workers: 6, bound: '6 host CPUs' });
  assert.deepEqual(autoWorkerLimit(run({ cpus: 2.5 }), 6), { workers: 2, bound: '--cpus 2.5' });
  assert.deepEqual(autoWorkerLimit(run({ cpus: 0.5 }), 6), { workers: 1, bound: '--cpus 0.5' }, 'never below one');
  assert.deepEqual(autoWorkerLimit(run({}), 200), { workers: 64, bound: 'at most 64' });
  // A 16-CPU host and a 1g cap: heaps by the rule leave 256 MiB each to two workers, not 45 MiB to sixteen.
  assert.deepEqual(autoWorkerLimit(run({ capBytes: 1024 * MIB }), 16), { workers: 2, bound: 'heaps of 256 MiB in a 1024 MiB cap' });
  assert.ok(workerHeapMib(1024 * MIB, 2) >= 256);
  assert.equal(autoWorkerLimit(run({ capBytes: 1024 * MIB, heapByRule: false }), 16).workers, 16, 'a heap given, or off, leaves the CPUs');
  assert.equal(autoWorkerLimit(run({ capBytes: 128 * MIB }), 16).workers, 1);
  // Twelve processes a worker, 24 for the rest, and room for one warm spare beside them.
  assert.deepEqual(autoWorkerLimit(run({ pidsLimit: 256 }), 64), { workers: 18, bound: '--pids-limit 256' });
  assert.equal(autoWorkerLimit(run({ pidsLimit: 48 }), 64).workers, 1, 'two workers and a spare would need 60');
  assert.equal(autoWorkerLimit(run({ pidsLimit: 60 }), 64).workers, 2);
  const options = parseOptions(runOptionsSchema(8), { ...RUN_DEFAULTS, capBytes: '2g', workers: 'auto', cpus: '3' });
  const config = runConfigFor(options, 'r1', { kind: 'ingest' });
  assert.equal(config.workers, 3);
  assert.equal(config.workers_auto, true);
  assert.equal(config.workers_bound, '--cpus 3');
  assert.equal(config.worker_heap_mb, workerHeapMib(2048 * MIB, 3));
  const fixed = runConfigFor(parseOptions(runOptionsSchema(8), { ...RUN_DEFAULTS, capBytes: '2g', workers: '2' }), 'r1', { kind: 'ingest' });
  assert.equal(fixed.workers_auto, false);
  assert.equal(fixed.workers_bound, null);
  assert.equal(fixed.workers, 2);
});

test('a run config and an ingest manifest from before --workers auto still read', () => {
  const config = runConfigFor(parseOptions(runOptionsSchema(8), { ...RUN_DEFAULTS, capBytes: '2g' }), 'r1', { kind: 'ingest' });
  const { workers_auto: _auto, workers_bound: _bound, ...olderConfig } = config;
  assert.equal(RunConfigSchema.parse(olderConfig).workers_auto, false);
  assert.equal(RunConfigSchema.parse(olderConfig).workers_bound, null);
  // The manifest as the recorder writes it, less the field that did not exist before.
  const recorder = new IngestManifestRecorder('r1', ingestSpec(), { options: 1, auto: null }, tempOutDir(), systemClock);
  const { auto_workers: _recorded, ...olderManifest } = recorder.manifest;
  assert.equal(IngestManifestSchema.parse(olderManifest).auto_workers, null);
});

test('the auto count: one until a worker reports, then what half the cap holds at the largest RSS, within the CPUs seen', () => {
  const target = new WorkerTarget({ workers: 8, auto: true, capBytes: 1024 * MIB, bound: '8 host CPUs' }, 4);
  assert.equal(target.value, 1);
  assert.equal(target.describe()!.limit, 4, 'the CPUs the container sees, below the 8 asked for');
  assert.equal(target.measured(100), true);
  assert.equal(target.value, 4, '512 MiB holds five of 100 MiB; four CPUs');
  assert.equal(target.measured(90), false, 'a smaller report changes nothing');
  assert.equal(target.measured(200), true);
  assert.equal(target.value, 2);
  assert.equal(target.measured(600), true);
  assert.equal(target.value, 1, 'never below one');
  assert.deepEqual(target.describe(), { limit: 4, now: 1, highest: 4, worker_rss_mb: 600, why: 'half the 1024 MiB cap holds 0 worker(s) at 600 MiB each; the run allows 4 (4 CPUs the container sees)' });
  const fixed = new WorkerTarget({ workers: 3, auto: false, capBytes: 1024 * MIB }, 1);
  assert.equal(fixed.measured(10), false);
  assert.equal(fixed.value, 3, 'a count given is the count, whatever the CPUs');
  assert.equal(fixed.describe(), null);
});

test('simulate-pressure and probe refuse --workers auto, before anything starts', async () => {
  for (const args of [['simulate-pressure', '--cap', '256m', '--target-mb', '100', '--workers', 'auto'], ['probe', '256m', '--workers', 'auto']]) {
    const out = tempOutDir();
    const io = memoryIo();
    assert.equal(await main(oomHarnessProgram, [...args, '--out', out], io), 2, args.join(' '));
    assert.match(io.err(), /--workers: got "auto", expected an integer from 1 to 64: auto sizes the PDF ingest's workers by what they report/);
    assert.deepEqual(readdirSync(out), [], 'nothing was written');
  }
});

test('every number an option takes is written in plain decimals: 1e1 or 0x20 is refused, not read as 10 or 32', () => {
  const base = { ...RUN_DEFAULTS, capBytes: '1g' };
  assert.equal(parseOptions(runOptionsSchema(4), { ...base, pidsLimit: '64', cpus: '1.5' }).pidsLimit, 64);
  assert.throws(() => parseOptions(runOptionsSchema(4), { ...base, pidsLimit: '1e2' }), /--pids-limit: got "1e2", expected an integer from 16 to 32768/);
  assert.throws(() => parseOptions(runOptionsSchema(4), { ...base, pidsLimit: '0x20' }), /--pids-limit: got "0x20"/);
  assert.throws(() => parseOptions(runOptionsSchema(4), { ...base, cpus: '1e0' }), /--cpus: got "1e0", expected "none" or a number from 0.01 to 4/);
});
