// The PDF ingest under a real cap: every page once, the batch triggers, the sinks, the leak, the broken inputs.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { onlyRunDir, readJson, runCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip, harnessContainers } from '../helpers/engine.js';
import { RUN_IN_DOCKER_BIN, fixture } from '../helpers/paths.js';

const SAMPLE_200 = fixture('pdf', 'sample-200p.pdf');
const SAMPLE_3 = fixture('pdf', 'sample-3p.pdf');

interface Batch {
  id: number;
  status: string;
  trigger: string;
  items: number;
  spans: Array<{ file_index: number; first_page: number; last_page: number }>;
}

function pagesOf(batches: Batch[]): string[] {
  return batches.flatMap((batch) =>
    batch.spans.flatMap((span) => Array.from({ length: span.last_page - span.first_page + 1 }, (_, i) => `${span.file_index}:${span.first_page + i}`)),
  );
}

async function ingest(args: string[]) {
  const out = tempOutDir();
  const result = await runCli([...args, '--out', out, '--json'], RUN_IN_DOCKER_BIN);
  const runDir = onlyRunDir(out);
  return { result, runDir, manifest: readJson(join(runDir, 'container', 'ingest_manifest.json')) };
}

test('a 200-page PDF at 2g with the mock sink completes, every page in exactly one batch, count triggers', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { result, manifest } = await ingest([SAMPLE_200, '2g']);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(manifest.status, 'completed');
  assert.equal(manifest.total_pages, 200);
  assert.equal(manifest.inputs[0].pages, 200);
  assert.match(manifest.inputs[0].sha256, /^[0-9a-f]{64}$/);
  const pages = pagesOf(manifest.batches);
  assert.equal(pages.length, 200);
  assert.equal(new Set(pages).size, 200);
  assert.ok(manifest.batches.every((batch: Batch) => batch.status === 'flushed'));
  assert.ok(manifest.batches.every((batch: Batch) => batch.trigger === 'count' && batch.items === 10), 'default batch size 10');
  assert.equal(manifest.pages_flushed, 200);
  assert.equal(manifest.inputs[0].read_as, 'whole: 200 pages, within one part');
});

test('read in parts by two retiring workers: every page flushed once, with the text of the whole document read whole', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const sinkText = (runDir: string) =>
    new Map(readFileSync(join(runDir, 'container', 'sink.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line)).map((line) => [line.page, line.text]));
  const parts = await ingest([SAMPLE_200, '1g', '--workers', '2', '--part-pages', '30', '--range-pages', '10', '--pages-per-worker', '60', '--sink', 'jsonl']);
  assert.equal(parts.result.exitCode, 0, parts.result.stderr);
  assert.equal(parts.manifest.inputs[0].read_as, 'in parts of 30 pages');
  const pages = pagesOf(parts.manifest.batches);
  assert.equal(pages.length, 200);
  assert.equal(new Set(pages).size, 200);
  assert.ok(parts.manifest.workers_started >= 4, `workers started: ${parts.manifest.workers_started}`);
  const whole = await ingest([SAMPLE_200, '1g', '--part-pages', 'off', '--sink', 'jsonl']);
  assert.equal(whole.result.exitCode, 0, whole.result.stderr);
  assert.equal(whole.manifest.inputs[0].read_as, 'whole: --part-pages off');
  assert.deepEqual(sinkText(parts.runDir), sinkText(whole.runDir));
});

test('--workers auto starts one worker, then as many more as half the cap holds at the RSS it reports, up to the CPUs', async (t) => {
  if (!(await engineOrSkip(t))) return;
  // Two CPUs on the machines this runs on; on a one-CPU host, auto's limit is one.
  const cpus = Math.min(2, availableParallelism());
  const check = (manifest: Record<string, any>, capMb: number, limit: number) => {
    const auto = manifest.auto_workers;
    assert.equal(manifest.options.workers, 'auto');
    assert.equal(auto.limit, limit, 'what the run allows');
    assert.ok(auto.worker_rss_mb > 20, `a worker's RSS: ${auto.worker_rss_mb} MiB`);
    const fit = Math.max(1, Math.min(limit, Math.floor(capMb / 2 / auto.worker_rss_mb)));
    assert.equal(auto.highest, fit, auto.why);
    assert.ok(manifest.workers_started <= fit, `at most ${fit} started, got ${manifest.workers_started}`);
    assert.equal(manifest.status, 'completed');
    const pages = pagesOf(manifest.batches);
    assert.equal(pages.length, 200);
    assert.equal(new Set(pages).size, 200);
  };
  const roomy = await ingest([SAMPLE_200, '1g', '--workers', 'auto', '--cpus', String(cpus), '--range-pages', '10']);
  assert.equal(roomy.result.exitCode, 0, roomy.result.stderr);
  // --cpus, the CPUs the container sees, and heaps of 256 MiB or more (two at 1g) allow two.
  check(roomy.manifest, 1024, cpus);
  assert.equal(roomy.manifest.auto_workers.highest, cpus, 'half of 1 GiB holds two workers');
  assert.equal(roomy.manifest.workers_started, cpus);
  const report = await runCli(['report', JSON.parse(roomy.result.stdout).bundle]);
  assert.match(report.stdout, new RegExp(`workers: +auto, ${cpus} allowed at once at the end, at most ${cpus}: half the 1024 MiB cap holds \\d+ worker\\(s\\) at \\d+ MiB each; the run allows ${cpus} \\(--cpus ${cpus}\\)`));
  // At 128m the heaps allow one, and half the cap holds no second worker of a Node process's size either.
  const tight = await ingest([SAMPLE_200, '128m', '--workers', 'auto', '--cpus', String(cpus), '--range-pages', '10']);
  assert.equal(tight.result.exitCode, 0, tight.result.stderr);
  check(tight.manifest, 128, 1);
  assert.equal(tight.manifest.workers_started, 1);
  // Workers retiring every 20 pages start warm spares: auto leaves room for one within --pids-limit (48 allows one
  // worker and its spare). With these flags, --workers 2 and its spares end the run at the pids limit in some runs.
  const pids = await ingest([SAMPLE_200, '1g', '--workers', 'auto', '--pids-limit', '48', '--pages-per-worker', '20', '--range-pages', '10', '--part-pages', 'off']);
  assert.equal(pids.result.exitCode, 0, pids.result.stderr);
  assert.equal(pids.manifest.auto_workers.limit, 1);
  assert.match(pids.manifest.auto_workers.why, /the run allows 1 \(--pids-limit 48\)/);
  assert.ok(pids.manifest.workers_started >= 6, `workers retired and were replaced: ${pids.manifest.workers_started}`);
  assert.equal(new Set(pagesOf(pids.manifest.batches)).size, 200);
});

test('a small --max-bytes flushes on bytes; the jsonl sink holds every page once, in order', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { result, runDir, manifest } = await ingest([SAMPLE_200, '2g', '--max-bytes', '4000', '--sink', 'jsonl']);
  assert.equal(result.exitCode, 0, result.stderr);
  const triggers = new Set(manifest.batches.map((batch: Batch) => batch.trigger));
  assert.ok(triggers.has('bytes'), `triggers: ${[...triggers]}`);
  assert.ok(!triggers.has('count'));
  assert.ok(manifest.batches.every((batch: { bytes: number }) => batch.bytes <= 4000));
  const lines = readFileSync(join(runDir, 'container', 'sink.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines.map((line) => line.page), Array.from({ length: 200 }, (_, i) => i + 1));
  for (const line of lines.slice(0, 5)) assert.ok(line.text.startsWith(`Page ${line.page} of 200.`), line.text.slice(0, 30));
});

test('slow pages and a flush slower than --max-wait-ms flush on wait', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { result, manifest } = await ingest([SAMPLE_3, '512m', '--slow-page-ms', '150', '--max-wait-ms', '200', '--mock-latency-ms', '300']);
  assert.equal(result.exitCode, 0, result.stderr);
  const triggers = manifest.batches.map((batch: Batch) => batch.trigger);
  assert.ok(triggers.includes('wait'), `triggers: ${triggers}`);
  assert.equal(pagesOf(manifest.batches).length, 3);
});

test('--mock-retain-mb 40 at 128m ends cgroup-oom; the manifest names the batch in flight, earlier ones flushed', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { result, manifest } = await ingest([SAMPLE_200, '128m', '--mock-retain-mb', '40']);
  assert.equal(result.exitCode, 3, result.stderr);
  assert.equal(JSON.parse(result.stdout).verdict, 'cgroup-oom');
  assert.equal(manifest.status, 'oom');
  const inFlight = manifest.batch_in_flight;
  assert.ok(inFlight, 'a batch was in flight');
  assert.equal(inFlight.status, 'in_flight_at_death');
  assert.match(inFlight.pages, /^sample-200p\.pdf:\d+-\d+$/);
  const earlier = manifest.batches.filter((batch: Batch) => batch.id < inFlight.id);
  assert.ok(earlier.length >= 1);
  assert.ok(earlier.every((batch: Batch) => batch.status === 'flushed'));
});

test('a directory of PDFs is read in name order; non-PDF files are ignored', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const dir = join(tempOutDir('oom-harness-input-'), 'docs');
  mkdirSync(dir);
  copyFileSync(SAMPLE_3, join(dir, 'b.pdf'));
  copyFileSync(SAMPLE_3, join(dir, 'a.pdf'));
  writeFileSync(join(dir, 'notes.txt'), 'not an input');
  const { result, runDir, manifest } = await ingest([dir, '512m', '--sink', 'jsonl']);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.deepEqual(manifest.inputs.map((input: { name: string }) => input.name), ['a.pdf', 'b.pdf']);
  const lines = readFileSync(join(runDir, 'container', 'sink.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines.map((line) => `${line.file}:${line.page}`), ['a.pdf:1', 'a.pdf:2', 'a.pdf:3', 'b.pdf:1', 'b.pdf:2', 'b.pdf:3']);
});

test('broken inputs: empty and not-a-PDF exit 2 before any container; truncated and encrypted exit 4 from the worker', async (t) => {
  const docker = await engineOrSkip(t);
  if (!docker) return;
  for (const [name, reason] of [['empty.pdf', /is empty \(0 bytes\)/], ['not-a-pdf.pdf', /is not a PDF: it starts with "This is a plain/]] as const) {
    const out = tempOutDir();
    const result = await runCli([fixture('pdf', 'broken', name), '512m', '--out', out], RUN_IN_DOCKER_BIN);
    assert.equal(result.exitCode, 2, `${name}: ${result.stderr}`);
    assert.match(result.stderr, new RegExp(name.replace('.', '\\.')));
    assert.match(result.stderr, reason);
  }
  const emptyDir = tempOutDir('oom-harness-empty-');
  const noPdfs = await runCli([emptyDir, '512m', '--out', tempOutDir()], RUN_IN_DOCKER_BIN);
  assert.equal(noPdfs.exitCode, 2);
  assert.match(noPdfs.stderr, /is a directory with no \.pdf files/);

  for (const [name, reason] of [['truncated.pdf', /truncated or corrupt/], ['encrypted.pdf', /encrypted or password-protected/]] as const) {
    const { result, runDir, manifest } = await ingest([fixture('pdf', 'broken', name), '512m']);
    assert.equal(result.exitCode, 4, `${name}: ${result.stderr}`);
    const json = JSON.parse(result.stdout);
    assert.equal(json.verdict, 'crashed');
    assert.match(json.reason, new RegExp(name.replace('.', '\\.')));
    assert.match(json.reason, reason);
    assert.equal(manifest.status, 'partial_failure');
    assert.equal(manifest.failed_batches.length, 1);
    assert.match(manifest.failed_batches[0].error, reason);
    assert.match(manifest.inputs[0].error, reason);
    for (const file of ['container/summary.json', 'container/memory_log.csv', 'container_manifest.json']) readFileSync(join(runDir, file));
  }
  assert.deepEqual(await harnessContainers(docker), []);
});

test('two workers under one cap, retiring every 50 pages: every page still flushed exactly once', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const { result, runDir, manifest } = await ingest([SAMPLE_200, '1g', '--workers', '2', '--cpus', '2', '--pages-per-worker', '50', '--range-pages', '25']);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(manifest.status, 'completed');
  const pages = pagesOf(manifest.batches);
  assert.equal(pages.length, 200);
  assert.equal(new Set(pages).size, 200);
  assert.ok(manifest.workers_started >= 4, `workers started: ${manifest.workers_started}`);
  assert.ok(manifest.worker_retirements.every((r: { reason: string }) => r.reason === 'pages'));
  const summary = readJson(join(runDir, 'container', 'summary.json'));
  const workerIds = new Set(manifest.batches.map((batch: { worker_id: number }) => batch.worker_id));
  assert.ok(workerIds.size >= 4);
  assert.ok(summary.workers.every((w: { exit_code: number }) => w.exit_code === 0));
});
