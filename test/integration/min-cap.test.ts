// min-cap on a real engine: a cap one tolerance step above the answer completes when run again, and a cap 15%
// below the answer ends in OOM. The job's peak varies from run to run by a few percent (V8 sizes its own heap here),
// so the answer itself is a boundary, not a cap that passes every time.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempOutDir } from '../helpers/cli.js';
import { DEBIAN, debianOrSkip, engineOrSkip } from '../helpers/engine.js';
import { REPO_ROOT, RUN_IN_DOCKER_BIN, fixture } from '../helpers/paths.js';
import { loadSchemas } from '../helpers/schemas.js';

const MIB = 1024 * 1024;
// A client-side leak of 3 MiB a flush, and V8 sizing its own heap, so the kernel decides where the job dies.
const JOB = ['--worker-heap-mb', 'off', '--mock-retain-mb', '3'];
/** Holds HOLD_MB MiB (written, so every page is resident) for a second, then exits 0. */
const HOLD_SCRIPT = 'import os, time\na = b"x" * (int(os.environ["HOLD_MB"]) << 20)\ntime.sleep(1)\nprint("held", len(a) >> 20, "MiB")';

test('min-cap finds the smallest cap that completes: one step above it completes again, 15% under it ends in OOM', async (t) => {
  if (!(await engineOrSkip(t))) return;
  const sample = fixture('pdf', 'sample-200p.pdf');
  await runCli([sample, '512m', '--out', tempOutDir(), ...JOB], RUN_IN_DOCKER_BIN); // warm the page cache
  const result = await runCli(['min-cap', sample, '--from', '96m', '--to', '1g', '--tolerance', '8%', '--repeat', '1', '--json', '--out', tempOutDir(), ...JOB]);
  assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  const answer = JSON.parse(result.stdout);
  assert.ok(answer.max_failing_cap_bytes !== null, 'the floor itself fails: the search bracketed the answer');
  assert.ok(answer.min_safe_cap_bytes <= answer.max_failing_cap_bytes * 1.08 + MIB, JSON.stringify(answer));
  assert.ok(answer.probes.length >= 3 && answer.probes.every((probe: { bundle: string | null }) => probe.bundle?.endsWith('.tar.gz')));
  const capMb = Math.round(answer.min_safe_cap_bytes / MIB);
  const above = Math.ceil(capMb * 1.08);
  const again = await runCli([sample, `${above}m`, '--json', '--out', tempOutDir(), ...JOB], RUN_IN_DOCKER_BIN);
  assert.equal(JSON.parse(again.stdout).verdict, 'completed', `${above}m, one step above the answer ${capMb}m, completes again`);
  const under = Math.max(96, Math.floor(capMb * 0.85));
  const below = await runCli([sample, `${under}m`, '--json', '--out', tempOutDir(), ...JOB], RUN_IN_DOCKER_BIN);
  assert.equal(JSON.parse(below.stdout).verdict, 'cgroup-oom', `${under}m, 15% under the answer, ends in OOM`);
});

test('min-cap --exec brackets a Python command holding 120 MiB in a Debian image; --keep 2 leaves two bundles and the summary', async (t) => {
  if (!(await debianOrSkip(t))) return;
  const hold = ['--image', DEBIAN, '--env', 'HOLD_MB=120', '--', 'python3', '-c', HOLD_SCRIPT];
  await runCli(['exec', '512m', '--out', tempOutDir(), '--quiet', ...hold]); // warm the page cache with python3's files
  const out = tempOutDir();
  const result = await runCli(['min-cap', '--exec', '--from', '96m', '--to', '512m', '--tolerance', '8%', '--repeat', '1', '--keep', '2', '--json', '--out', out, ...hold]);
  assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  const answer = JSON.parse(result.stdout);
  loadSchemas(join(REPO_ROOT, 'schemas')).check('min-cap', answer, 'min-cap --json');
  assert.equal(answer.job.kind, 'exec');
  assert.ok(answer.min_safe_cap_bytes > 120 * MIB && answer.min_safe_cap_bytes <= 256 * MIB, `the answer ${answer.min_safe_cap_bytes / MIB} MiB holds 120 MiB and the harness's share`);
  assert.ok(answer.max_failing_cap_bytes < answer.min_safe_cap_bytes && answer.min_safe_cap_bytes <= answer.max_failing_cap_bytes * 1.08 + MIB, JSON.stringify(answer));
  for (const probe of answer.probes) {
    if (probe.cap_bytes >= answer.min_safe_cap_bytes) assert.equal(probe.verdict, 'completed', `${probe.cap_bytes / MIB} MiB`);
    else assert.equal(probe.verdict, 'cgroup-oom', `${probe.cap_bytes / MIB} MiB`);
    if (probe.verdict === 'completed') assert.ok(probe.kernel_peak_mb >= 120, `the kernel saw the 120 MiB held (${probe.kernel_peak_mb} MiB)`);
  }
  // --keep 2: the last two probes' bundles and the summary; no run directory.
  const kept = answer.probes.slice(-2).map((probe: { bundle: string }) => probe.bundle);
  assert.ok(answer.probes.slice(0, -2).every((probe: { bundle: string | null; run_id: string }) => probe.bundle === null && /^\d{8}-/.test(probe.run_id)));
  const summaryName = basename(answer.summary_bundle).replace(/\.tar\.gz$/, '');
  assert.deepEqual(readdirSync(out).sort(), [...kept.map((bundle: string) => basename(bundle)), summaryName, `${summaryName}.tar.gz`].sort());
  assert.deepEqual(JSON.parse(readFileSync(join(out, summaryName, 'min_cap.json'), 'utf8')), answer, 'min_cap.json is the object --json printed');
  const summary = await runCli(['report', answer.summary_bundle]);
  assert.equal(summary.exitCode, 0, summary.stderr);
  assert.match(summary.stdout, /^min-cap summary: a search of \d+ probe\(s\), not a single run/);
  const last = await runCli(['report', kept[1], '--json']);
  assert.equal(last.exitCode, 0, last.stderr);
  assert.equal(JSON.parse(last.stdout).verdict, answer.probes.at(-1).verdict);
});
