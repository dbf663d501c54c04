// The supervisor's early start: sampling and an ingest run's first worker begin before the rest of the supervisor
// loads, and the Supervisor takes both over without losing a sample or a message. A real worker process reads a
// real PDF here; only the Supervisor's side is played by the test.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { WorkerMessage } from '../../harness/common/worker-messages.js';
import type { TickSample } from '../../harness/run-files/memory-log.js';
import { RunConfigSchema, type RunConfig } from '../../harness/run-files/run-config.js';
import { EarlyStart, earlyFields } from '../../harness/supervisor/early-start.js';
import { FIRST_INGEST_WORKER, ingestRoleArgument } from '../../harness/workloads/ingest/worker-role.js';
import { fixture } from '../helpers/paths.js';

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
    workload: {
      kind: 'ingest',
      inputs: [{ name: 'sample-3p.pdf', container_path: fixture('pdf', 'sample-3p.pdf'), size_bytes: 1, sha256: 'x' }],
      range_pages: 50,
      pages_per_worker: 5000,
      worker_rss_limit_mb: 512,
      batch: { max_items: 10, max_bytes: 5_000_000, max_wait_ms: 5000 },
      sink: { kind: 'mock', latency_ms: 0, fail_rate: 0, retain_mb: 0, seed: 1 },
      flush_retries: 2,
      slow_page_ms: 0,
    },
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

test('samples taken before the takeover are in the memory log and replayed once; the early worker is handed over with every message it sent', async () => {
  const { dir, configPath, config } = setUp();
  try {
    const early = new EarlyStart(earlyFields(config)!, configPath, dir, { startWorker: true });
    await sleep(400);
    const logged = readFileSync(join(dir, 'memory_log.csv'), 'utf8').trim().split('\n');
    assert.ok(logged.length >= 3, `header and early rows, got ${logged.length} lines`);
    assert.match(logged[1]!, /,supervisor,/);
    assert.ok(logged.some((line) => /,worker,node,1,/.test(line)), 'the early worker is sampled as worker 1');

    const replayed: Array<{ sample: TickSample }> = [];
    const live: TickSample[] = [];
    early.takeOver({ watched: () => [], onSample: (sample) => live.push(sample), replay: (sample) => replayed.push({ sample }) });
    assert.ok(replayed.length >= 2, `replayed ${replayed.length}`);
    assert.deepEqual(
      replayed.map((entry) => entry.sample.tick),
      replayed.map((_, i) => i),
      'every early tick, in order, once',
    );

    const messages: WorkerMessage[] = [];
    const taken = early.takeWorker([configPath, ingestRoleArgument(FIRST_INGEST_WORKER)], (message) => messages.push(message));
    assert.ok(taken, 'the same arguments take the early worker');
    assert.equal(early.takeWorker([configPath, ingestRoleArgument(FIRST_INGEST_WORKER)], () => undefined), null, 'taken once');
    await until('the worker to be ready', () => (messages.some((m) => m.type === 'ready') ? true : undefined));
    assert.deepEqual(messages[0], { type: 'page-count', file_index: 0, pages: 3 }, 'the message sent before the takeover comes first');
    taken.process.send({ type: 'no-more-work' });
    const exit = await taken.process.exited;
    assert.equal(exit.exitCode, 0);
    await until('a sample after the takeover', () => (live.length > 0 ? true : undefined));
    assert.ok(live[0]!.tick >= replayed.length, 'ticks go on from where they were');
    early.abandon();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an early worker the Supervisor does not ask for is stopped, not left running', async () => {
  const { dir, configPath, config } = setUp();
  try {
    const early = new EarlyStart(earlyFields(config)!, configPath, dir, { startWorker: true });
    const pid = await until('the early worker in the memory log', () => {
      const row = readFileSync(join(dir, 'memory_log.csv'), 'utf8').split('\n').find((line) => /,worker,/.test(line));
      return row ? Number(row.split(',')[3]) : undefined;
    });
    process.kill(pid, 0);
    assert.equal(early.takeWorker([configPath, ingestRoleArgument({ workerId: 1, plan: false, warm: null })], () => undefined), null);
    await until('the stopped worker to end', () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    });
    early.abandon();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
