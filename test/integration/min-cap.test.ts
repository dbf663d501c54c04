// min-cap on a real engine: a cap one tolerance step above the answer completes when run again, and a cap 15%
// below the answer ends in OOM. The job's peak varies from run to run by a few percent (V8 sizes its own heap here),
// so the answer itself is a boundary, not a cap that passes every time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempOutDir } from '../helpers/cli.js';
import { engineOrSkip } from '../helpers/engine.js';
import { RUN_IN_DOCKER_BIN, fixture } from '../helpers/paths.js';

const MIB = 1024 * 1024;
// A client-side leak of 3 MiB a flush, and V8 sizing its own heap, so the kernel decides where the job dies.
const JOB = ['--worker-heap-mb', 'off', '--mock-retain-mb', '3'];

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
