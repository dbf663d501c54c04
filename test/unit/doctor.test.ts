// doctor's judgement on facts as machines report them: each problem is a line with what to do about it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doctorLines, renderDoctor } from '../../harness/doctor/doctor-checks.js';
import type { DoctorFacts } from '../../harness/doctor/doctor-facts.js';

const healthy: DoctorFacts = {
  engine: { ok: true, endpoint: 'unix:///var/run/docker.sock', product: 'Docker', version: '20.10.24', apiVersion: '1.41', cgroupVersion: '1', swapLimit: true, memoryLimit: true, memTotalBytes: 24 * 2 ** 30 },
  hostCgroupVersion: 1,
  dmesgRestrict: 0,
  kmsgReadable: true,
  highWaterMark: { file: '/sys/fs/cgroup/memory/memory.max_usage_in_bytes', present: true },
  memTotalMb: 24_105,
  memAvailableMb: 22_000,
  swapTotalMb: 0,
  ulimits: { nofile: 524_288, nproc: 32_768 },
  staleBundle: null,
};

const statusOf = (facts: DoctorFacts, name: string, capMb = 2048) => doctorLines(facts, capMb).find((l) => l.name === name);

test('a healthy machine passes every line', () => {
  const lines = doctorLines(healthy);
  assert.ok(lines.every((l) => l.status === 'ok' && l.fix === null), JSON.stringify(lines));
  assert.match(renderDoctor(lines), /can reproduce an OOM faithfully\n$/);
});

test("a container bundle older than the compiled files fails with the reason and npm run build", () => {
  const bundle = statusOf({ ...healthy, staleBundle: "the container's bundle is older than supervisor/main.js, one of the files it bundles" }, 'container bundle')!;
  assert.equal(bundle.status, 'fail');
  assert.match(bundle.detail, /older than supervisor\/main\.js/);
  assert.match(bundle.fix!, /npm run build/);
  assert.equal(statusOf(healthy, 'container bundle')!.status, 'ok');
});

test('a stopped engine fails with the endpoint and how to start one', () => {
  const engine = statusOf({ ...healthy, engine: { ok: false, endpoint: 'unix:///var/run/docker.sock', error: 'connect ENOENT /var/run/docker.sock' } }, 'engine')!;
  assert.equal(engine.status, 'fail');
  assert.match(engine.detail, /unix:\/\/\/var\/run\/docker.sock: connect ENOENT/);
  assert.match(engine.fix!, /scripts\/setup|DOCKER_HOST/);
});

test('cgroup v2 without memory.peak, a restricted kernel log, no swap accounting and a small host each say what to do', () => {
  const facts: DoctorFacts = {
    ...healthy,
    engine: { ...healthy.engine, swapLimit: false } as DoctorFacts['engine'],
    hostCgroupVersion: 2,
    dmesgRestrict: 1,
    kmsgReadable: false,
    highWaterMark: { file: '/sys/fs/cgroup/user.slice/memory.peak', present: false },
    memAvailableMb: 3000,
  };
  assert.equal(statusOf(facts, 'swap limit')!.status, 'fail');
  assert.match(statusOf(facts, 'swap limit')!.fix!, /swapaccount=1/);
  assert.equal(statusOf(facts, 'kernel log')!.status, 'warn');
  assert.match(statusOf(facts, 'kernel log')!.fix!, /dmesg_restrict=0/);
  assert.match(statusOf(facts, 'high-water mark')!.fix!, /5\.19/);
  assert.equal(statusOf(facts, 'free memory', 6144)!.status, 'warn');
  assert.equal(statusOf(facts, 'free memory', 1024)!.status, 'ok');
});

test('a tiny open-file limit is a warning with the fix; the line says what containers get', () => {
  assert.match(statusOf(healthy, 'ulimits')!.detail, /containers get nofile 524288, nproc 32768/);
  const tight = statusOf({ ...healthy, ulimits: { nofile: 256, nproc: 32_768 } }, 'ulimits')!;
  assert.equal(tight.status, 'warn');
  assert.match(tight.fix!, /ulimit -Hn/);
});

test('a Podman engine is named as Podman', () => {
  assert.match(statusOf({ ...healthy, engine: { ...healthy.engine, product: 'Podman', version: '4.3.1' } as DoctorFacts['engine'] }, 'engine')!.detail, /^Podman 4\.3\.1, API/);
});

test('a Docker context that is not stored fails with its name and how to list the contexts', () => {
  const error = 'DOCKER_CONTEXT: got "nope", expected the name of a Docker context';
  const engine = statusOf({ ...healthy, engine: { ok: false, endpoint: null, error } }, 'engine')!;
  assert.equal(engine.status, 'fail');
  assert.equal(engine.detail, error);
  assert.match(engine.fix!, /docker context ls/);
});

test('a socket that refuses this user is not a stopped engine, and a cap above the engine cannot pass', () => {
  const denied = statusOf({ ...healthy, engine: { ok: false, endpoint: 'unix:///var/run/docker.sock', error: 'connect EACCES /var/run/docker.sock' } }, 'engine')!;
  assert.match(denied.detail, /refuses this user/);
  assert.match(denied.fix!, /docker group/);
  const cap = statusOf(healthy, 'cap', 30_720)!;
  assert.equal(cap.status, 'fail');
  assert.match(cap.detail, /above the engine's 24576 MiB/);
  assert.equal(statusOf(healthy, 'cap', 2048), undefined);
});
