import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerSpec } from '../../harness/container-runtime/container-spec.js';
import { containerUser } from '../../harness/run/container-user.js';
import { workerHeapMib } from '../../harness/run/heap-size.js';

test('the create options cap memory and swap at the same value and lock the container down', () => {
  const spec = containerSpec({
    name: 'oom-harness-r1',
    capBytes: 128 * 1024 ** 2,
    cpus: 1.5,
    user: '1000:1000',
    pidsLimit: 256,
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
  });
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
  assert.deepEqual(host.Mounts, [
    { Type: 'bind', Source: '/tmp/run/container', Target: '/out', ReadOnly: false },
    { Type: 'bind', Source: '/data/x.pdf', Target: '/input/x.pdf', ReadOnly: true },
  ]);
  assert.deepEqual(spec.Env, ['NODE_ENV=production']);
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
