import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { directoryReader, memoryCgroupCandidates, parseProcCgroup } from '../../harness/kernel/cgroup-location.js';
import { readCgroupV1Memory, readCgroupV2Memory } from '../../harness/kernel/cgroup-memory.js';
import { parseKeyedCounters, parseSingleValue } from '../../harness/kernel/keyed-counters.js';
import { fixture } from '../helpers/paths.js';

test('v1 after an OOM kill: usage, high-water mark at the cap, oom_kill counted', () => {
  const snapshot = readCgroupV1Memory(directoryReader(fixture('cgroup', 'v1-oom')));
  assert.equal(snapshot.version, 1);
  assert.equal(snapshot.usageBytes, 8048640);
  assert.equal(snapshot.peakBytes, 134217728);
  assert.equal(snapshot.peakSource, 'memory.max_usage_in_bytes');
  assert.equal(snapshot.limitBytes, 134217728);
  assert.equal(snapshot.oomKills, 1);
  assert.equal(snapshot.oomEvents, null);
  assert.equal(snapshot.underOom, false);
  assert.equal(snapshot.failcnt, 0);
  assert.equal(snapshot.anonBytes, 6107136);
  assert.equal(snapshot.fileBytes, 196608);
});

test('v1 before anything happened: no OOM kills', () => {
  const snapshot = readCgroupV1Memory(directoryReader(fixture('cgroup', 'v1-idle')));
  assert.equal(snapshot.oomKills, 0);
  assert.ok(snapshot.usageBytes > 0);
  assert.ok(snapshot.peakBytes! >= snapshot.usageBytes);
});

test('v2 after an OOM kill: memory.peak, oom and oom_kill from memory.events', () => {
  const snapshot = readCgroupV2Memory(directoryReader(fixture('cgroup', 'v2-oom')));
  assert.equal(snapshot.version, 2);
  assert.equal(snapshot.usageBytes, 278528);
  assert.equal(snapshot.peakBytes, 536870912);
  assert.equal(snapshot.peakSource, 'memory.peak');
  assert.equal(snapshot.limitBytes, 536870912);
  assert.equal(snapshot.oomEvents, 1);
  assert.equal(snapshot.oomKills, 1);
  assert.equal(snapshot.failcnt, null);
  assert.equal(snapshot.anonBytes, 61440);
  assert.equal(snapshot.fileBytes, 8192);
});

test('v2 before Linux 5.19 has no memory.peak: the peak is unknown, not invented', () => {
  const snapshot = readCgroupV2Memory(directoryReader(fixture('cgroup', 'v2-no-peak')));
  assert.equal(snapshot.peakBytes, null);
  assert.equal(snapshot.peakSource, null);
  assert.equal(snapshot.usageBytes, 402915328);
  assert.equal(snapshot.oomKills, 0);
});

test('v2 with no limit reads memory.max "max" as no limit', () => {
  const snapshot = readCgroupV2Memory(directoryReader(fixture('cgroup', 'v2-unlimited')));
  assert.equal(snapshot.limitBytes, null);
  assert.equal(snapshot.peakBytes, 3903488);
});

test('a missing usage file is an error that names the file', () => {
  assert.throws(() => readCgroupV2Memory(() => null), /memory\.current is missing/);
});

test('keyed counters ignore malformed lines; single values reject junk', () => {
  const counters = parseKeyedCounters('oom 2\nbroken\noom_kill 1 extra\noom_kill 3\n');
  assert.deepEqual([...counters], [['oom', 2], ['oom_kill', 3]]);
  assert.equal(parseSingleValue('max\n'), null);
  assert.throws(() => parseSingleValue('12 kB'));
});

test('finds the memory cgroup from /proc/self/cgroup on v1, v2 private and v2 host namespaces', () => {
  const v1 = memoryCgroupCandidates(parseProcCgroup(readFileSync(fixture('cgroup', 'proc-self-cgroup-v1-docker.txt'), 'utf8')), '/cg');
  assert.equal(v1[0]!.version, 1);
  assert.match(v1[0]!.dir, /^\/cg\/memory\/docker\/ac566de6/);
  assert.deepEqual(v1[1], { version: 1, dir: '/cg/memory' });
  const v2 = memoryCgroupCandidates(parseProcCgroup(readFileSync(fixture('cgroup', 'proc-self-cgroup-v2-private.txt'), 'utf8')), '/cg');
  assert.deepEqual(v2[0], { version: 2, dir: '/cg' });
  const hostNs = memoryCgroupCandidates(parseProcCgroup(readFileSync(fixture('cgroup', 'proc-self-cgroup-v2-host-ns.txt'), 'utf8')), '/cg');
  assert.match(hostNs[0]!.dir, /^\/cg\/system\.slice\/docker-ac566de6.*\.scope$/);
});

test("under Podman (cgroupfs) the container's memory cgroup is libpod_parent/libpod-<id>, its own root mounted last", () => {
  const podman = memoryCgroupCandidates(parseProcCgroup(readFileSync(fixture('cgroup', 'proc-self-cgroup-v1-podman.txt'), 'utf8')), '/cg');
  assert.deepEqual(podman[0], { version: 1, dir: '/cg/memory/libpod_parent/libpod-8c57c92e88481a609d72f7cab8fe26c9cd61f59bcc9ca79db110741b6889b101' });
  assert.deepEqual(podman[1], { version: 1, dir: '/cg/memory' });
});
