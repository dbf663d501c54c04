import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { containerSpec } from '../../harness/container-runtime/container-spec.js';
import { parseProcLimits } from '../../harness/kernel/proc-limits.js';
import { containerUlimits, NOFILE_CEILING, NPROC_CEILING, ulimitRefusalHint } from '../../harness/run/container-ulimits.js';
import { containerUser } from '../../harness/run/container-user.js';
import { workerHeapMib } from '../../harness/run/heap-size.js';
import { fixture } from '../helpers/paths.js';

const INPUT: Parameters<typeof containerSpec>[0] = {
  name: 'oom-harness-r1',
  capBytes: 128 * 1024 ** 2,
  cpus: 1.5,
  user: '1000:1000',
  pidsLimit: 256,
  ulimits: { nofile: 20000, nproc: 4096 },
  tmpfsBytes: 16 * 1024 ** 2,
  labels: { a: 'b' },
  cmd: ['/etc/oom-harness/run-config.json'],
  workingDir: '/out',
  env: ['NODE_ENV=production'],
  network: 'none',
  mounts: [
    { source: '/tmp/run/container', target: '/out', readOnly: false },
    { source: '/data/x.pdf', target: '/input/x.pdf', readOnly: true },
  ],
};

test('the create options cap memory and swap at the same value and lock the container down', () => {
  const spec = containerSpec(INPUT);
  const host = spec.HostConfig!;
  assert.equal(host.Memory, 134217728);
  assert.equal(host.MemorySwap, 134217728);
  assert.equal(host.NanoCpus, 1_500_000_000);
  assert.equal(host.NetworkMode, 'none');
  assert.equal(host.ReadonlyRootfs, true);
  assert.deepEqual(host.CapDrop, ['ALL']);
  assert.deepEqual(host.SecurityOpt, ['no-new-privileges']);
  assert.equal(host.AutoRemove, false);
  assert.equal(host.Init, true);
  assert.deepEqual(host.Ulimits, [
    { Name: 'nofile', Soft: 20000, Hard: 20000 },
    { Name: 'nproc', Soft: 4096, Hard: 4096 },
  ]);
  assert.deepEqual(host.Mounts, [
    { Type: 'bind', Source: '/tmp/run/container', Target: '/out', ReadOnly: false },
    { Type: 'bind', Source: '/data/x.pdf', Target: '/input/x.pdf', ReadOnly: true },
  ]);
  assert.deepEqual(spec.Env, ['NODE_ENV=production']);
  // No --cpus: no quota, the engine's 0.
  assert.equal(containerSpec({ ...INPUT, cpus: null }).HostConfig!.NanoCpus, 0);
});

test('root runs the container as uid 1000; anyone else as themselves', () => {
  assert.deepEqual(containerUser(0, 0), { uid: 1000, gid: 1000, spec: '1000:1000', needsChown: true });
  assert.deepEqual(containerUser(1234, 50), { uid: 1234, gid: 50, spec: '1234:50', needsChown: false });
});

test('worker heap: 75% of (cap - 64 MiB) shared among workers, never under 16 MiB', () => {
  assert.equal(workerHeapMib(256 * 1024 ** 2, 1), 144);
  assert.equal(workerHeapMib(6 * 1024 ** 3, 2), 2280);
  assert.equal(workerHeapMib(96 * 1024 ** 2, 1), 32);
});

test('/proc/<pid>/limits parses to soft and hard figures, unlimited as null', () => {
  // Podman's API service on this project's machine: it holds itself to 32768 processes.
  const limits = parseProcLimits(readFileSync(fixture('proc', 'limits-podman-service.txt'), 'utf8'));
  assert.deepEqual(limits.get('Max open files'), { soft: 20000, hard: 20000 });
  assert.deepEqual(limits.get('Max processes'), { soft: 32768, hard: 32768 });
  assert.deepEqual(limits.get('Max stack size'), { soft: 8388608, hard: null });
  assert.deepEqual(limits.get('Max realtime timeout'), { soft: null, hard: null });
  assert.equal(limits.size, 16);
});

test("the container's ulimits: the host's hard limits, never above the ceilings an engine can grant", () => {
  const limits = (nofile: string, nproc: string) =>
    parseProcLimits(`Max processes             ${nproc}    ${nproc}    processes\nMax open files            ${nofile}    ${nofile}    files\n`);
  assert.deepEqual(containerUlimits(limits('20000', '96364')), { nofile: 20000, nproc: NPROC_CEILING });
  assert.deepEqual(containerUlimits(limits('unlimited', 'unlimited')), { nofile: NOFILE_CEILING, nproc: NPROC_CEILING });
  assert.deepEqual(containerUlimits(limits('1024', '512')), { nofile: 1024, nproc: 512 });
  // /proc unreadable: the ceilings.
  assert.deepEqual(containerUlimits(new Map()), { nofile: NOFILE_CEILING, nproc: NPROC_CEILING });
});

test('an engine that refuses the limits gets a hint naming them; other engine errors get none', () => {
  const refused = 'runc create failed: error setting rlimits for ready process: error setting rlimit type 7: operation not permitted';
  assert.match(ulimitRefusalHint(refused, { nofile: 20000, nproc: 32768 })!, /nofile=20000 and nproc=32768.*ulimit -Hn/);
  assert.equal(ulimitRefusalHint('No such image: oom-harness:abc', { nofile: 20000, nproc: 32768 }), null);
});
