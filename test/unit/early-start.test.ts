// The supervisor's early start: sampling and an ingest run's first worker begin before the rest of the supervisor
// loads, and the Supervisor takes both over without losing a sample or a message. A real worker process reads a
// real PDF here; only the Supervisor's side is played by the test.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { WorkerMessage } from '../../harness/common/worker-messages.js';
import type { TickSample } from '../../harness/run-files/memory-log.js';
import { RunConfigSchema, type RunConfig } from '../../harness/run-files/run-config.js';
import { EarlyStart, earlyFields } from '../../harness/supervisor/early-start.js';
import { FIRST_INGEST_WORKER, ingestRoleArgument } from '../../harness/workloads/ingest/worker-role.js';
import { fixture } from '../helpers/paths.js';
import { ingestSpec } from '../helpers/records.js';

function ingestConfig(): RunConfig {
  return RunConfigSchema.parse({
    schema: 'oom-harness/run-config@1',
    run_id: 'early-start-test',
    cap_bytes: 2 * 1024 ** 3,
    sample_interval_ms: 50,
    near_cap_sample_interval_ms: 50,
    workers: 1,
    worker_timeout_ms: 60_000,
    kill_grace_ms: 1000,
    on_worker_death: 'stop',
    worker_heap_mb: null,
    record_argv: true,
    workload: ingestSpec({ inputs: [{ name: 'sample-3p.pdf', container_path: fixture('pdf', 'sample-3p.pdf'), size_bytes: statSync(fixture('pdf', 'sample-3p.pdf')).size, sha256: 'x' }], pages_per_worker: 5000 }),
  });
}

function setUp(): { dir: string; configPath: string; config: RunConfig } {
  const dir = mkdtempSync(join(tmpdir(), 'oom-early-'));
  const config = ingestConfig();
  const configPath = join(dir, 'run-config.json');
  writeFileSync(configPath, JSON.stringify(config));
  return { dir, configPath, config };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** For until(): true once the process is gone (reaped), undefined while it lives. */
function processGone(pid: number): () => true | undefined {
  return () => {
    try {
      process.kill(pid, 0);
      return undefined;
    } catch {
      return true;
    }
  };
}

async function until<T>(what: string, value: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = value();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('the fields an early start needs come from a valid config; a config missing one gives none', () => {
  const fields = earlyFields(ingestConfig());
  assert.deepEqual(fields, { sampleIntervalMs: 50, nearCapIntervalMs: 50, recordArgv: true, workerHeapMb: null, workerTimeoutMs: 60_000, killGraceMs: 1000, workloadKind: 'ingest' });
  assert.equal(earlyFields({ ...ingestConfig(), sample_interval_ms: '200' }), null);
  assert.equal(earlyFields({ ...ingestConfig(), workload: undefined }), null);
  assert.equal(earlyFields(null), null);
});

function memoryLogTicks(dir: string): number[] {
  return readFileSync(join(dir, 'memory_log.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .filter((line) => line.includes(',supervisor,'))
    .map((line) => Number(line.split(',')[2]));
}

test('samples taken before the takeover are in the memory log and replayed once; the early worker is handed over with every message it sent', async () => {
  const { dir, configPath, config } = setUp();
  const early = new EarlyStart(earlyFields(config)!, configPath, dir, { startWorker: true });
  try {
    // The worker has counted the pages and said it is ready, while nobody listened: both messages are held.
    await until('two held messages', () => (early.heldMessages >= 2 ? true : undefined));
    const logged = readFileSync(join(dir, 'memory_log.csv'), 'utf8').trim().split('\n');
    assert.match(logged[1]!, /,supervisor,/);
    assert.ok(logged.some((line) => /,worker,node,1,/.test(line)), 'the early worker is sampled as worker 1');

    const replayed: TickSample[] = [];
    const live: TickSample[] = [];
    early.takeOver({ watched: () => [], onSample: (sample) => live.push(sample), replay: (sample) => replayed.push(sample) });
    assert.ok(replayed.length >= 1, `replayed ${replayed.length}`);
    assert.deepEqual(
      replayed.map((sample) => sample.tick),
      replayed.map((_, i) => i),
      'every early tick, in order, once',
    );

    const messages: WorkerMessage[] = [];
    const taken = early.takeWorker([configPath, ingestRoleArgument(FIRST_INGEST_WORKER)], (message) => messages.push(message));
    assert.ok(taken, 'the same arguments take the early worker');
    assert.equal(early.takeWorker([configPath, ingestRoleArgument(FIRST_INGEST_WORKER)], () => undefined), null, 'taken once');
    await until('the held messages', () => (messages.length >= 2 ? true : undefined));
    assert.deepEqual(messages.slice(0, 2), [{ type: 'page-count', file_index: 0, pages: 3, read_as: 'whole: 3 pages, within one part' }, { type: 'ready' }], 'held messages first, in order');
    taken.process.send({ type: 'no-more-work' });
    assert.equal((await taken.process.exited).exitCode, 0);
    await until('a sample after the takeover', () => (live.length > 0 ? true : undefined));
    assert.equal(live[0]!.tick, replayed.length, 'ticks go on from where they were, none lost');
  } finally {
    early.abandon();
  }
  const ticks = memoryLogTicks(dir);
  assert.deepEqual(ticks, ticks.map((_, i) => i), 'the memory log has each tick once');
  rmSync(dir, { recursive: true, force: true });
});

test('an early worker that ended before the takeover: its held messages reach the Supervisor before its exit does', async () => {
  const { dir, configPath, config } = setUp();
  const early = new EarlyStart(earlyFields(config)!, configPath, dir, { startWorker: true });
  try {
    await until('two held messages', () => (early.heldMessages >= 2 ? true : undefined));
    const pid = Number(
      readFileSync(join(dir, 'memory_log.csv'), 'utf8')
        .split('\n')
        .find((line) => /,worker,/.test(line))!
        .split(',')[3],
    );
    process.kill(pid, 'SIGKILL');
    await until('the worker to end', processGone(pid));
    await sleep(100);
    const order: string[] = [];
    const taken = early.takeWorker([configPath, ingestRoleArgument(FIRST_INGEST_WORKER)], (message) => order.push(message.type))!;
    await taken.process.exited.then((exit) => order.push(`exit ${exit.signal}`));
    assert.deepEqual(order, ['page-count', 'ready', 'exit SIGKILL']);
  } finally {
    early.abandon();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stop before the takeover is held for the Supervisor; after it, the signal is the Supervisor\'s own', () => {
  const { dir, configPath, config } = setUp();
  const early = new EarlyStart(earlyFields({ ...config, workload: { ...config.workload, kind: 'synthetic' } })!, configPath, dir, { startWorker: true });
  try {
    assert.equal(early.signalBeforeTakeover, null);
    early.noteSignal('SIGTERM');
    early.noteSignal('SIGINT');
    assert.equal(early.signalBeforeTakeover, 'SIGTERM', 'the first stop');
    const later = new EarlyStart(earlyFields(config)!, configPath, dir, { startWorker: false });
    later.takeOver({ watched: () => [], onSample: () => undefined, replay: () => undefined });
    later.noteSignal('SIGTERM');
    assert.equal(later.signalBeforeTakeover, null);
    later.abandon();
  } finally {
    early.abandon();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an early worker the Supervisor does not ask for is stopped, not left running', async () => {
  const { dir, configPath, config } = setUp();
  const early = new EarlyStart(earlyFields(config)!, configPath, dir, { startWorker: true });
  try {
    const pid = await until('the early worker in the memory log', () => {
      const row = readFileSync(join(dir, 'memory_log.csv'), 'utf8').split('\n').find((line) => /,worker,/.test(line));
      return row ? Number(row.split(',')[3]) : undefined;
    });
    process.kill(pid, 0);
    assert.equal(early.takeWorker([configPath, ingestRoleArgument({ workerId: 1, plan: false, warm: null })], () => undefined), null);
    await until('the stopped worker to end', processGone(pid));
  } finally {
    early.abandon();
    rmSync(dir, { recursive: true, force: true });
  }
});
