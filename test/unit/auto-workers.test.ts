import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { main } from '../../harness/cli/main.js';
import { oomHarnessProgram } from '../../harness/cli/commands/program.js';
import { parseOptions } from '../../harness/options/parse-options.js';
import { RUN_DEFAULTS, runOptionsSchema } from '../../harness/options/run-options.js';
import { autoWorkerLimit, workerHeapMib } from '../../harness/run/heap-size.js';
import { runConfigFor } from '../../harness/run/plan-run.js';
import { WorkerTarget } from '../../harness/workloads/ingest/worker-target.js';
import { memoryIo, tempOutDir } from '../helpers/cli.js';

const MIB = 1024 * 1024;

test('--workers takes auto or a count, and names both when given something else', () => {
  assert.equal(parseOptions(runOptionsSchema(4), { ...RUN_DEFAULTS, capBytes: '1g', workers: 'auto' }).workers, 'auto');
  assert.equal(parseOptions(runOptionsSchema(4), { ...RUN_DEFAULTS, capBytes: '1g', workers: '3' }).workers, 3);
  for (const bad of ['many', '0', '65', '1.5']) {
    assert.throws(() => parseOptions(runOptionsSchema(4), { ...RUN_DEFAULTS, capBytes: '1g', workers: bad }), new RegExp(`--workers: got "${bad.replace('.', '\\.')}", expected "auto" or an integer from 1 to 64`));
  }
});

test('--workers auto may run as many workers as --cpus (rounded down, at least one) or else the host has CPUs; each heap is sized for that many', () => {
  assert.equal(autoWorkerLimit(null, 6), 6);
  assert.equal(autoWorkerLimit(2.5, 6), 2);
  assert.equal(autoWorkerLimit(0.5, 6), 1);
  assert.equal(autoWorkerLimit(null, 200), 64);
  const options = parseOptions(runOptionsSchema(8), { ...RUN_DEFAULTS, capBytes: '2g', workers: 'auto', cpus: '3' });
  const config = runConfigFor(options, 'r1', { kind: 'ingest' });
  assert.equal(config.workers, 3);
  assert.equal(config.workers_auto, true);
  assert.equal(config.worker_heap_mb, workerHeapMib(2048 * MIB, 3));
  const fixed = runConfigFor(parseOptions(runOptionsSchema(8), { ...RUN_DEFAULTS, capBytes: '2g', workers: '2' }), 'r1', { kind: 'ingest' });
  assert.equal(fixed.workers_auto, false);
  assert.equal(fixed.workers, 2);
});

test('the auto count: one until a worker reports, then what half the cap holds at the largest RSS, within the CPUs seen', () => {
  const target = new WorkerTarget(8, true, 1024 * MIB, 4);
  assert.equal(target.value, 1);
  assert.equal(target.describe()!.limit, 4, 'the CPUs the container sees, below the 8 asked for');
  assert.equal(target.measured(100), true);
  assert.equal(target.value, 4, '512 MiB holds five of 100 MiB; four CPUs');
  assert.equal(target.measured(90), false, 'a smaller report changes nothing');
  assert.equal(target.measured(200), true);
  assert.equal(target.value, 2);
  assert.equal(target.measured(600), true);
  assert.equal(target.value, 1, 'never below one');
  assert.deepEqual(target.describe(), { limit: 4, now: 1, highest: 4, worker_rss_mb: 600, why: 'half the 1024 MiB cap holds 0 worker(s) at 600 MiB each, 4 CPU(s) allow 4: 1 at once' });
  const fixed = new WorkerTarget(3, false, 1024 * MIB, 1);
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
